import { toErrorInfo } from "./errors.js";
import type { ErrorInfo } from "./errors.js";
import type { FailureReason } from "./outcome.js";

/** What an executor is given for one attempt of one task. */
export interface AttemptContext {
  readonly taskId: string;
  /** 1-based. */
  readonly attempt: number;
  /** Aborted on timeout and on cancellation; the executor must stop the work when it fires. */
  readonly signal: AbortSignal;
  /** The results of the task's dependencies, by id. */
  readonly results: Readonly<Record<string, unknown>>;
  /** Reports a chunk of the task's output (becomes a `task.output` event). */
  output(stream: "stdout" | "stderr", chunk: string): void;
  /** Reports that a persistent task's service is ready: its dependents may start. */
  ready(): void;
  /** Reports the process group the attempt runs in (a `task.process` event), so it can be found after a crash. */
  process(pid: number): void;
  /**
   * Reports the distributed worker that took the attempt, `host/pid` (a `task.worker` event).
   * Only the queue's executor calls it; a context made outside a run may lack it.
   */
  worker?(id: string): void;
}

/** What an attempt cost, where the executor can tell (the process executor on Linux). */
export interface AttemptUsage {
  /** CPU time of its processes, in ms. */
  readonly cpuMs?: number;
  /** Peak resident memory of its processes, in bytes. */
  readonly peakRssBytes?: number;
  /** From the executor being asked to run it to its process having started, in ms. */
  readonly spawnMs?: number;
}

/** How one attempt ended, as reported by an executor. Failures are data, never exceptions. */
export type AttemptResult =
  | {
      readonly ok: true;
      readonly value?: unknown;
      readonly exitCode?: number;
      readonly usage?: AttemptUsage;
      /** The task cache restored it: its action did not run. */
      readonly cached?: true;
    }
  | {
      readonly ok: false;
      readonly reason: FailureReason;
      readonly error?: ErrorInfo;
      /**
       * The value the action threw or rejected with, as it was: only in process (a result that
       * crossed a process or the network has `error` alone). Never put into records or events.
       */
      readonly thrown?: unknown;
      readonly exitCode?: number;
      readonly signal?: string;
      readonly usage?: AttemptUsage;
    };

/**
 * The port through which core runs a task's action: in process, in a child process, over
 * HTTP or on a remote worker. The scheduler never knows which.
 */
export interface Executor<A> {
  /** Runs one attempt. Settles only once the work has stopped, also after an abort. */
  execute(action: A, context: AttemptContext): Promise<AttemptResult>;
}

/** An attempt whose action threw or rejected with `error`: kept as plain JSON and, in process, as it was. */
export function thrownResult(error: unknown): AttemptResult {
  return { ok: false, reason: "error", error: toErrorInfo(error), thrown: error };
}
