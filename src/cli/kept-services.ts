import { failureInWords } from "../core/index.js";
import type { AttemptResult, RunningService } from "../core/index.js";
import { printable } from "../report/index.js";

/** Shows a chunk of a kept service's output, with the task and attempt it came from. */
export type ShowOutput = (
  taskId: string,
  attempt: number,
  stream: "stdout" | "stderr",
  chunk: string,
) => void;

/** What {@link KeptServices} is given. */
export interface KeptServicesOptions {
  /** Says a line on the human channel. */
  readonly say: (line: string) => void;
  /** Shows the services' output while no run is going. */
  readonly show: ShowOutput;
}

interface Kept {
  readonly service: RunningService;
  /** Kills the processes of the executor it ran on at once. */
  readonly killNow: () => void;
  /** Whether it is being stopped on purpose (not exiting by itself). */
  stopping: boolean;
}

/**
 * The services a watch session keeps running between its runs: handed over, ready, by the run
 * that started them, taken as done by the runs after it, stopped when a change affects them or
 * when the session ends. One that exits by itself is said and forgotten: the next run that
 * needs it starts it again.
 */
export class KeptServices {
  readonly #kept = new Map<string, Kept>();
  readonly #say: (line: string) => void;
  readonly #idle: ShowOutput;
  #show: ShowOutput;

  constructor(options: KeptServicesOptions) {
    this.#say = options.say;
    this.#idle = options.show;
    this.#show = options.show;
  }

  /** The ids of the services running, in the order they were handed over. */
  get ids(): string[] {
    return [...this.#kept.keys()];
  }

  /** The services running, as a run's tasks done already: they are not started again. */
  asDone(): ReadonlyMap<string, unknown> {
    return new Map(this.ids.map((id) => [id, undefined]));
  }

  /**
   * Takes the services a run handed over. `killNow` kills the processes of the executor they
   * ran on at once (a second Ctrl-C).
   */
  adopt(services: readonly RunningService[], killNow: () => void): void {
    for (const service of services) {
      const kept: Kept = { service, killNow, stopping: false };
      this.#kept.set(service.taskId, kept);
      service.onOutput((stream, chunk) =>
        this.#show(service.taskId, service.attempt, stream, chunk),
      );
      void service.ended.then((result) => this.#ended(kept, result));
    }
  }

  /** Shows the output through `show` (a run's reporter) until the returned function is called. */
  showThrough(show: ShowOutput): () => void {
    this.#show = show;
    return () => {
      if (this.#show === show) this.#show = this.#idle;
    };
  }

  /** Stops those of `ids` that run, saying `why`; resolves once they have ended. */
  async stop(ids: Iterable<string>, why: string): Promise<void> {
    const stopping = [...new Set(ids)].flatMap((id) => this.#kept.get(id) ?? []);
    for (const kept of stopping) {
      this.#say(`parex: watch: stopping ${printable(kept.service.taskId)}: ${why}`);
      kept.stopping = true;
      kept.service.stop();
    }
    await Promise.all(stopping.map((kept) => kept.service.ended));
  }

  /** Stops every service (the session ends); resolves once they have ended. */
  stopAll(): Promise<void> {
    return this.stop(this.ids, "the watch ends");
  }

  /** Kills every service's processes at once, without a grace period. */
  killNow(): void {
    for (const kept of this.#kept.values()) {
      kept.stopping = true;
      kept.killNow();
    }
  }

  /** The summary's line on what stays up after a run; undefined when nothing does. */
  summaryLine(): string | undefined {
    const ids = this.ids.map(printable);
    if (ids.length === 0) return undefined;
    const them = ids.length === 1 ? "it" : "them";
    return `kept running: ${ids.join(", ")} (until a change affects ${them}, or Ctrl-C)`;
  }

  #ended(kept: Kept, result: AttemptResult): void {
    const id = kept.service.taskId;
    if (this.#kept.get(id) === kept) this.#kept.delete(id);
    if (kept.stopping) return;
    const how = result.ok ? "exit code 0" : failureInWords(result);
    this.#say(
      `parex: watch: ${printable(id)} exited by itself (${how}): the next run that needs it starts it again`,
    );
  }
}
