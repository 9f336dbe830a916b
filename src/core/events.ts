import type { ErrorInfo } from "./errors.js";
import type { BreakerStateName } from "./policies/breaker.js";
import type { FailureReason, RunStatus, Strategy, TaskRecord } from "./outcome.js";

interface Base {
  readonly runId: string;
  /** Clock ms since the Unix epoch. */
  readonly time: number;
}

/**
 * Everything that happens in a run, in order: the single source of truth that the terminal,
 * the JSON summary, the store, SSE, the dashboard and the queue bridge all subscribe to.
 */
export type RunEvent =
  | (Base & {
      readonly type: "run.started";
      readonly tasks: readonly string[];
      readonly concurrency: number;
      readonly strategy: Strategy;
    })
  | (Base & { readonly type: "task.queued"; readonly taskId: string })
  | (Base & {
      readonly type: "task.started";
      readonly taskId: string;
      readonly attempt: number;
      readonly slot: number;
    })
  | (Base & { readonly type: "task.ready"; readonly taskId: string; readonly attempt: number })
  | (Base & {
      readonly type: "task.process";
      readonly taskId: string;
      readonly attempt: number;
      /** The process group id of the attempt. */
      readonly pid: number;
    })
  | (Base & {
      readonly type: "task.worker";
      readonly taskId: string;
      readonly attempt: number;
      /** The distributed worker that took the attempt: `host/pid`. */
      readonly worker: string;
    })
  | (Base & {
      readonly type: "task.output";
      readonly taskId: string;
      readonly attempt: number;
      readonly stream: "stdout" | "stderr";
      readonly chunk: string;
    })
  | (Base & {
      readonly type: "task.retry-scheduled";
      readonly taskId: string;
      /** The attempt that failed. */
      readonly attempt: number;
      readonly reason: FailureReason;
      readonly error?: ErrorInfo;
      readonly delayMs: number;
    })
  | (Base & {
      readonly type: "task.finished";
      readonly taskId: string;
      /** The last attempt (0 when it never started). */
      readonly attempt: number;
      readonly task: TaskRecord;
    })
  | (Base & {
      /**
       * Tasks that end together without having started: skipped because `dependency` did not
       * succeed, or cancelled while they waited when the run halted. One event for all of them,
       * in declaration order, so that stopping 100,000 queued tasks costs each listener one
       * call, not 100,000; their records are in the run's result. A task that had started
       * (cancelled while running or waiting to retry) ends with its own `task.finished`.
       */
      readonly type: "tasks.finished";
      readonly taskIds: readonly string[];
      readonly status: "skipped" | "cancelled";
      readonly reason: "dependency-failed" | "aborted";
      /** For `skipped`: the task whose failure skipped them. */
      readonly dependency?: string;
    })
  | (Base & {
      readonly type: "task.strays-killed";
      readonly taskId: string;
      readonly attempt: number;
      /** Processes of the attempt that had left its process group, outlived it, and were stopped. */
      readonly processes: readonly { readonly pid: number; readonly command: string }[];
    })
  | (Base & {
      readonly type: "breaker.changed";
      readonly taskId: string;
      readonly key: string;
      readonly from: BreakerStateName;
      readonly to: BreakerStateName;
    })
  | (Base & { readonly type: "run.finished"; readonly status: RunStatus });

/** The `type` of every RunEvent. */
export type RunEventType = RunEvent["type"];

/** A subscriber to a run's events. What it throws is reported, never allowed to break the run. */
export type RunListener = (event: RunEvent) => void;

/** Called with what a listener threw. */
export type ListenerErrorHandler = (error: unknown, event: RunEvent) => void;

/**
 * Returns a function that delivers an event to every listener, isolating each one; or
 * undefined when there is no listener, so callers can skip building events at all.
 */
export function eventSink(
  listeners: readonly RunListener[],
  onListenerError: ListenerErrorHandler,
): ((event: RunEvent) => void) | undefined {
  if (listeners.length === 0) return undefined;
  return (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        try {
          onListenerError(error, event);
        } catch {
          // The error handler itself failed; nothing more can be reported without risking the run.
        }
      }
    }
  };
}
