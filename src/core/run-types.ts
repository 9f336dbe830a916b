import type { Clock } from "./clock.js";
import type { ListenerErrorHandler, RunListener } from "./events.js";
import type { Executor } from "./executor.js";
import type { RunStatus, Strategy, TaskRecord } from "./outcome.js";
import type { Estimates } from "./plan.js";
import type { Breakers } from "./policies/breakers.js";
import type { RunningService } from "./running-service.js";
import type { ReadyOrder } from "./scheduler.js";

/** Options of {@link runGraph}. */
export interface RunGraphOptions<A> {
  /** Runs each task's action. */
  readonly executor: Executor<A>;
  /** Source of time for timeouts, backoff and the record. */
  readonly clock: Clock;
  /** Slots: an integer ≥ 1 or Infinity. Default Infinity. */
  readonly concurrency?: number;
  /** Default `"all"`. */
  readonly strategy?: Strategy;
  /** Cancels the run: running attempts are aborted, nothing else starts. */
  readonly signal?: AbortSignal;
  /** Expected durations by task id, for ordering ready tasks. Default: none (unit weights). */
  readonly estimates?: Estimates;
  /**
   * How much each task's duration varies from run to run: the σ of its logarithm by task id
   * (0.2: about ±20 %), as a history learns it. A small graph's searched order is judged on
   * samples drawn from it. Default: 0.2 for every task.
   */
  readonly spreads?: Estimates;
  /**
   * Default `"searched"`: with `estimates`, the order a search in the simulator chose (a few
   * ms before the first task starts); without, the critical-path rule. `"critical-path"`
   * keeps that rule even with estimates.
   */
  readonly order?: ReadyOrder;
  /** Circuit breakers to share. Default: the process-wide ones. */
  readonly breakers?: Breakers;
  /** Subscribers to the run's events. Default: none. */
  readonly listeners?: readonly RunListener[];
  /** Told what a listener threw. Default: ignore it. */
  readonly onListenerError?: ListenerErrorHandler;
  /** Random numbers in [0, 1) for retry jitter and the run id. Default Math.random. */
  readonly random?: () => number;
  /** Default: a new id from the clock and `random`. */
  readonly runId?: string;
  /**
   * Tasks that already succeeded (resuming a run), or services still running from an earlier
   * run (watch mode), with their results: they do not run again, and their dependents start.
   */
  readonly done?: ReadonlyMap<string, unknown>;
  /**
   * Ready services are handed over in the result's `services`, still running, instead of being
   * stopped when every other task has ended, or when the run is cancelled or fails fast; each
   * is recorded as succeeded. A service not yet ready when the run is cancelled is stopped, as
   * without it. Watch mode keeps a dev server up between runs this way. Default false.
   */
  readonly keepServices?: boolean;
}

/** How a run ended. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly strategy: Strategy;
  /** Effective slots: the concurrency, at most the number of tasks. */
  readonly concurrency: number;
  /** Clock ms when the run started and finished. */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** One record per task, in declaration order. */
  readonly tasks: readonly TaskRecord[];
  /** The result of every task that succeeded, by id. */
  readonly results: ReadonlyMap<string, unknown>;
  /**
   * What each failed task's action threw or rejected with, as it was, by id: only for actions
   * run in process (functions); never part of a record or an event, which are plain JSON.
   * Always set by `runGraph`.
   */
  readonly thrown?: ReadonlyMap<string, unknown>;
  /**
   * The ready services handed over still running (`keepServices`): whoever ran the graph now
   * stops them. Always set by `runGraph` (empty without `keepServices`).
   */
  readonly services?: readonly RunningService[];
}

/** A new run id: sortable by time, e.g. `run_mwrtfrkw_5dzck9`. */
export function newRunId(now: number, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0");
  return `run_${Math.floor(now).toString(36)}_${suffix}`;
}
