import type { AttemptResult } from "./executor.js";

/** Where a handed-over service's output goes: each chunk as it comes. */
export type ServiceOutput = (stream: "stdout" | "stderr", chunk: string) => void;

/**
 * A ready service that a run with `keepServices` handed over still running, instead of
 * stopping it: whoever holds it decides when it stops (watch mode keeps a dev server up
 * between runs). Its run has ended; it is no longer that run's.
 */
export interface RunningService {
  readonly taskId: string;
  readonly attempt: number;
  /**
   * Settles with how its attempt ended, once it has: after `stop()`, once its executor has
   * stopped the work (a process tree, for commands), or when it exited by itself.
   */
  readonly ended: Promise<AttemptResult>;
  /** Stops it, as its run would have: its attempt's signal aborts with `reason`. */
  stop(reason?: unknown): void;
  /** Sends its output to `listener` from now on, starting with what came before this call. */
  onOutput(listener: ServiceOutput): void;
}

/** The engine's side of a {@link RunningService}: it feeds the output and the end in. */
export class HandedService implements RunningService {
  readonly taskId: string;
  readonly attempt: number;
  readonly ended: Promise<AttemptResult>;
  readonly #controller: AbortController;
  #settle: (result: AttemptResult) => void = () => undefined;
  #listener: ServiceOutput | undefined;
  /** Output that came before anyone listened (between the hand-over and `onOutput`). */
  #early: [stream: "stdout" | "stderr", chunk: string][] = [];

  constructor(taskId: string, attempt: number, controller: AbortController) {
    this.taskId = taskId;
    this.attempt = attempt;
    this.#controller = controller;
    this.ended = new Promise((resolve) => (this.#settle = resolve));
  }

  stop(reason: unknown = new DOMException("The service was stopped", "AbortError")): void {
    this.#controller.abort(reason);
  }

  onOutput(listener: ServiceOutput): void {
    this.#listener = listener;
    for (const [stream, chunk] of this.#early.splice(0)) listener(stream, chunk);
  }

  /** A chunk of its output. */
  output(stream: "stdout" | "stderr", chunk: string): void {
    if (this.#listener === undefined) this.#early.push([stream, chunk]);
    else this.#listener(stream, chunk);
  }

  /** Its attempt ended. */
  end(result: AttemptResult): void {
    this.#early = [];
    this.#settle(result);
  }
}
