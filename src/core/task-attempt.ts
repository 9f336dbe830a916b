import type { AttemptContext } from "./executor.js";

/** What attempts of one run share: where dependency results and output come from. */
export interface AttemptHost {
  /** The results of `task`'s dependencies, by id. */
  resultsOf(task: number): Readonly<Record<string, unknown>>;
  /** Reports a chunk of output of an attempt (a `task.output` event). */
  output(taskId: string, attempt: number, stream: "stdout" | "stderr", chunk: string): void;
  /** Reports that the attempt's service is ready. */
  ready(task: number, attempt: number): void;
  /** Reports the attempt's process group. */
  process(taskId: string, attempt: number, pid: number): void;
  /** Reports the distributed worker that took the attempt. */
  worker(task: number, attempt: number, id: string): void;
}

/**
 * The context of one attempt. Dependency results are gathered only when read, so a task that
 * never looks at them (most of a large graph) costs no object for them.
 */
export class TaskAttempt implements AttemptContext {
  readonly taskId: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly #host: AttemptHost;
  readonly #task: number;
  #results: Readonly<Record<string, unknown>> | undefined;

  constructor(
    host: AttemptHost,
    task: { readonly index: number; readonly id: string; readonly attempt: number },
    signal: AbortSignal,
  ) {
    this.#host = host;
    this.#task = task.index;
    this.taskId = task.id;
    this.attempt = task.attempt;
    this.signal = signal;
  }

  get results(): Readonly<Record<string, unknown>> {
    return (this.#results ??= this.#host.resultsOf(this.#task));
  }

  output(stream: "stdout" | "stderr", chunk: string): void {
    this.#host.output(this.taskId, this.attempt, stream, chunk);
  }

  ready(): void {
    this.#host.ready(this.#task, this.attempt);
  }

  process(pid: number): void {
    this.#host.process(this.taskId, this.attempt, pid);
  }

  worker(id: string): void {
    this.#host.worker(this.#task, this.attempt, id);
  }

  /** The same attempt under another signal (its own, when it has a timeout). */
  withSignal(signal: AbortSignal): TaskAttempt {
    return new TaskAttempt(
      this.#host,
      { index: this.#task, id: this.taskId, attempt: this.attempt },
      signal,
    );
  }
}
