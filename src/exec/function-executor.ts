import { isThenable, onAbort, thrownResult, toErrorInfo } from "../core/index.js";
import type { AttemptResult, Executor } from "../core/index.js";

/** What an in-process task function receives. */
export interface TaskContext<R = Readonly<Record<string, unknown>>> {
  /** The results of the task's dependencies, by id. */
  readonly results: R;
  /** Fires on timeout and on cancellation: pass it on to fetch, timers, child tasks. */
  readonly signal: AbortSignal;
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** The task's id. */
  readonly taskId: string;
  /** Reports output (a `task.output` event), e.g. progress lines. */
  output(stream: "stdout" | "stderr", chunk: string): void;
  /** For a `persistent` task: its service is ready, dependents may start; it runs on until its signal aborts. */
  ready(): void;
  /** Reports a process group the task started (to be found after a crash of the runner). */
  process(pid: number): void;
}

/** A task that runs in process. */
export type TaskFunction = (context: TaskContext<never>) => unknown;

/**
 * Runs task functions in process. JavaScript cannot stop a function from outside, so when
 * the attempt's signal aborts, the attempt ends at once and whatever the function later
 * returns is ignored: functions should pass the signal on to the work they start.
 */
export const functionExecutor: Executor<TaskFunction> = {
  execute(fn, context) {
    const { signal } = context;
    if (signal.aborted) return Promise.resolve(aborted(signal));
    let value: unknown;
    try {
      value = fn(context as TaskContext<never>);
    } catch (error) {
      return Promise.resolve(thrownResult(error));
    }
    if (!isThenable(value)) return Promise.resolve({ ok: true, value });
    return new Promise<AttemptResult>((resolve) => {
      const unsubscribe = onAbort(signal, () => resolve(aborted(signal)));
      value.then(
        (result) => {
          unsubscribe();
          resolve({ ok: true, value: result });
        },
        (error: unknown) => {
          unsubscribe();
          resolve(thrownResult(error));
        },
      );
    });
  },
};

function aborted(signal: AbortSignal): AttemptResult {
  return { ok: false, reason: "aborted", error: toErrorInfo(signal.reason) };
}
