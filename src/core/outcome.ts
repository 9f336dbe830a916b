import type { ErrorInfo } from "./errors.js";
import type { TaskSpec } from "./task-spec.js";

/**
 * What to do when tasks fail. Under every strategy a task is required unless it is `optional`:
 * an optional task's failure never fails or cancels the run, its dependents are skipped; a
 * required task that does not succeed (failed, or skipped because a task it depends on did not
 * succeed) fails the run.
 * - `all`: the first required task that does not succeed cancels the rest.
 * - `partial`: the same as `all` (the name seed 003's HTTP API uses).
 * - `best_effort`: run everything whose dependencies succeeded; nothing is cancelled.
 */
export type Strategy = "all" | "partial" | "best_effort";

/** Every strategy, for validation and help texts. */
export const strategies: readonly Strategy[] = ["all", "partial", "best_effort"];

/**
 * - `succeeded`: an attempt (or the fallback) succeeded.
 * - `failed`: every attempt failed and no fallback saved it.
 * - `skipped`: never started because a dependency did not succeed.
 * - `cancelled`: stopped or never started because the run was cancelled or failed fast.
 */
export type TaskStatus = "succeeded" | "failed" | "skipped" | "cancelled";

/**
 * Why a task did not succeed.
 * - `exit-code`: its process exited with a non-zero code.
 * - `signal`: its process was killed by a signal.
 * - `timeout`: an attempt ran longer than `timeoutMs`.
 * - `spawn-error`: its process could not be started.
 * - `breaker-open`: its circuit breaker refused the attempt.
 * - `error`: its function threw or rejected.
 * - `dependency-failed`: a task it depends on did not succeed (status `skipped`).
 * - `aborted`: the run was cancelled or failed fast (status `cancelled`).
 */
export type FailureReason =
  | "exit-code"
  | "signal"
  | "timeout"
  | "spawn-error"
  | "breaker-open"
  | "error"
  | "dependency-failed"
  | "aborted";

/**
 * - `succeeded`: every task succeeded.
 * - `partial`: every required task succeeded, some optional one did not.
 * - `failed`: a required task did not succeed (it failed, or was skipped because a task it
 *   depends on, required or optional, did not succeed).
 * - `cancelled`: the run was cancelled through its signal.
 */
export type RunStatus = "succeeded" | "partial" | "failed" | "cancelled";

/** One attempt's time on a slot, in clock ms. */
export interface AttemptSpan {
  readonly attempt: number;
  readonly slot: number;
  readonly start: number;
  readonly end: number;
}

/** How one task ended: plain JSON (its result value is kept apart). */
export interface TaskRecord {
  readonly id: string;
  readonly status: TaskStatus;
  /** Present when the status is not `succeeded`. */
  readonly reason?: FailureReason;
  /** Attempts started (0 when it never started). */
  readonly attempts: number;
  /** Each attempt on its slot, in order. */
  readonly spans: readonly AttemptSpan[];
  readonly fallbackUsed: boolean;
  readonly optional: boolean;
  /**
   * Succeeded in the run this one resumed, or is a service still running from an earlier run
   * of a watch session: it did not run again.
   */
  readonly reused?: boolean;
  /** Restored by the task cache in this run: its action did not run. */
  readonly cached?: true;
  readonly group?: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly error?: ErrorInfo;
  /** CPU time of all its attempts' processes, in ms (process tasks on Linux). */
  readonly cpuMs?: number;
  /** The highest resident memory of its processes, in bytes (process tasks on Linux). */
  readonly peakRssBytes?: number;
  /** Time to start its processes, summed over attempts, in ms (process tasks). */
  readonly spawnMs?: number;
  /** The distributed worker that took its latest attempt (`host/pid`); absent in a local run. */
  readonly worker?: string;
}

/** Whether the run fails when this task does not succeed: unless it is `optional`, whatever the strategy. */
export function isRequired(task: TaskSpec): boolean {
  return task.optional !== true;
}

/** Whether this task ending without success (failed, or skipped) must cancel every other task. */
export function failsFast(strategy: Strategy, task: TaskSpec): boolean {
  return strategy !== "best_effort" && isRequired(task);
}

/** The run's status from its tasks' records. */
export function runStatus(
  tasks: readonly TaskSpec[],
  records: readonly TaskRecord[],
  cancelled: boolean,
): RunStatus {
  if (cancelled) return "cancelled";
  let status: RunStatus = "succeeded";
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const task = tasks[i];
    if (record === undefined || task === undefined || record.status === "succeeded") continue;
    if (isRequired(task)) return "failed";
    status = "partial";
  }
  return status;
}
