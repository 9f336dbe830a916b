import type { AttemptResult, Executor, FailureReason } from "../core/index.js";

/** One call of a ScriptedExecutor: the test decides when and how it ends. */
export interface ScriptedCall<A> {
  readonly taskId: string;
  readonly attempt: number;
  readonly action: A;
  readonly signal: AbortSignal;
  readonly results: Readonly<Record<string, unknown>>;
  /** Whether the call has ended. */
  readonly settled: boolean;
  /** Ends the call successfully with `value`. */
  succeed(value?: unknown): void;
  /** Ends the call as failed (default reason `error`). */
  fail(reason?: FailureReason, exitCode?: number): void;
  /** Reports output, as a real executor would. */
  output(stream: "stdout" | "stderr", chunk: string): void;
  /** Reports a persistent task's service ready. */
  ready(): void;
}

/** Options of a {@link ScriptedExecutor}. */
export interface ScriptedExecutorOptions {
  /** Keep running after the signal aborts (a task that ignores cancellation). Default false. */
  readonly ignoreAbort?: boolean;
}

/**
 * A controllable executor: every attempt waits until the test ends it, so parallelism is
 * asserted by looking at which calls are running, never by sleeping. Unless told otherwise,
 * an attempt ends as `aborted` the moment its signal aborts, like a well-behaved process.
 */
export class ScriptedExecutor<A = unknown> implements Executor<A> {
  /** Every call, in start order. */
  readonly calls: ScriptedCall<A>[] = [];
  readonly #ignoreAbort: boolean;

  constructor(options: ScriptedExecutorOptions = {}) {
    this.#ignoreAbort = options.ignoreAbort === true;
  }

  execute(action: A, context: Parameters<Executor<A>["execute"]>[1]): Promise<AttemptResult> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: AttemptResult): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const call: ScriptedCall<A> = {
        taskId: context.taskId,
        attempt: context.attempt,
        action,
        signal: context.signal,
        results: context.results,
        get settled() {
          return settled;
        },
        succeed: (value) => settle({ ok: true, value }),
        fail: (reason = "error", exitCode) =>
          settle({ ok: false, reason, ...(exitCode === undefined ? {} : { exitCode }) }),
        output: (stream, chunk) => context.output(stream, chunk),
        ready: () => context.ready(),
      };
      this.calls.push(call);
      if (!this.#ignoreAbort) {
        context.signal.addEventListener("abort", () => settle({ ok: false, reason: "aborted" }), {
          once: true,
        });
      }
    });
  }

  /** Ids of the tasks whose current attempt has not ended, in start order. */
  running(): string[] {
    return this.calls.filter((call) => !call.settled).map((call) => call.taskId);
  }

  /** The latest call of `taskId`; throws when it never started. */
  call(taskId: string): ScriptedCall<A> {
    const call = this.calls.findLast((c) => c.taskId === taskId);
    if (call === undefined) throw new Error(`Task "${taskId}" was never started`);
    return call;
  }

  /** Ids of every task started, in order (a task appears once per attempt). */
  started(): string[] {
    return this.calls.map((call) => call.taskId);
  }
}

/** Lets every pending promise callback run: the run reacts to what the test just did. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
