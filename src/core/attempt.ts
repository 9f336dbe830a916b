import type { Clock } from "./clock.js";
import { thrownResult } from "./executor.js";
import type { AttemptResult, Executor } from "./executor.js";
import { followAbort } from "./on-abort.js";
import type { TaskAttempt } from "./task-attempt.js";

/** What {@link runAttempt} needs. */
export interface AttemptOptions<A> {
  readonly executor: Executor<A>;
  readonly action: A;
  readonly clock: Clock;
  /** The attempt's context, under the run's signal (aborted on cancellation or fail-fast). */
  readonly context: TaskAttempt;
  readonly timeoutMs: number | undefined;
}

/**
 * Runs one attempt under its timeout. A timeout is a cancellation: the attempt's own signal is
 * aborted and the attempt ends when the executor has stopped the work. The promise resolves
 * with the executor's result, or rejects with what a broken executor threw.
 */
export function runAttempt<A>(options: AttemptOptions<A>): Promise<AttemptResult> {
  if (options.timeoutMs === undefined) {
    return options.executor.execute(options.action, options.context);
  }
  return runWithTimeout(options, options.timeoutMs);
}

async function runWithTimeout<A>(
  options: AttemptOptions<A>,
  timeoutMs: number,
): Promise<AttemptResult> {
  const controller = new AbortController();
  const unsubscribe = followAbort(options.context.signal, controller);
  const timer = { fired: false };
  const cancelTimer = options.clock.setTimer(timeoutMs, () => {
    timer.fired = true;
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError"));
  });
  try {
    const result = await options.executor.execute(
      options.action,
      options.context.withSignal(controller.signal),
    );
    return timer.fired ? timedOut(result, timeoutMs) : result;
  } catch (error) {
    return timer.fired ? timedOut({ ok: false, reason: "error" }, timeoutMs) : thrownResult(error);
  } finally {
    cancelTimer();
    unsubscribe();
  }
}

/** An attempt that outlived its timeout failed with `timeout`, whatever the executor said after. */
function timedOut(result: AttemptResult, timeoutMs: number): AttemptResult {
  const error = { name: "TimeoutError", message: `Attempt timed out after ${timeoutMs} ms` };
  const signal = result.ok ? undefined : result.signal;
  return {
    ok: false,
    reason: "timeout",
    error,
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    ...(signal === undefined ? {} : { signal }),
  };
}
