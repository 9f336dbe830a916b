import type { Clock } from "./clock.js";
import { toErrorInfo } from "./errors.js";
import type { AttemptContext, AttemptResult, Executor } from "./executor.js";
import { onAbort } from "./on-abort.js";

/** What {@link runAttempt} needs. */
export interface AttemptOptions<A> {
  readonly executor: Executor<A>;
  readonly action: A;
  readonly clock: Clock;
  /** Aborted when the run is cancelled or fails fast. */
  readonly runSignal: AbortSignal;
  readonly timeoutMs: number | undefined;
  readonly context: Omit<AttemptContext, "signal">;
}

/**
 * Runs one attempt under its timeout. A timeout is a cancellation: the attempt's signal is
 * aborted and the attempt ends when the executor has stopped the work. Never rejects.
 */
export async function runAttempt<A>(options: AttemptOptions<A>): Promise<AttemptResult> {
  const { runSignal, timeoutMs } = options;
  if (timeoutMs === undefined) {
    return classify(await execute(options, runSignal), runSignal, undefined);
  }
  const controller = new AbortController();
  const forward = (): void => controller.abort(runSignal.reason);
  let unsubscribe: (() => void) | undefined;
  if (runSignal.aborted) forward();
  else unsubscribe = onAbort(runSignal, forward);
  const timer = { fired: false };
  const cancelTimer = options.clock.setTimer(timeoutMs, () => {
    timer.fired = true;
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError"));
  });
  try {
    const result = await execute(options, controller.signal);
    return classify(result, runSignal, timer.fired ? timeoutMs : undefined);
  } finally {
    cancelTimer();
    unsubscribe?.();
  }
}

async function execute<A>(options: AttemptOptions<A>, signal: AbortSignal): Promise<AttemptResult> {
  try {
    return await options.executor.execute(options.action, { ...options.context, signal });
  } catch (error) {
    return { ok: false, reason: "error", error: toErrorInfo(error) };
  }
}

function classify(
  result: AttemptResult,
  runSignal: AbortSignal,
  timedOutAfter: number | undefined,
): AttemptResult {
  if (timedOutAfter !== undefined) {
    const { exitCode, signal } = result as { exitCode?: number; signal?: string };
    return {
      ok: false,
      reason: "timeout",
      error: { name: "TimeoutError", message: `Attempt timed out after ${timedOutAfter} ms` },
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(signal === undefined ? {} : { signal }),
    };
  }
  if (!result.ok && runSignal.aborted) return { ...result, reason: "aborted" };
  return result;
}
