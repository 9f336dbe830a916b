import { buildGraph, simulate } from "../../core/index.js";
import type { TaskGraph } from "../../core/index.js";
import type { GraphTask } from "./api-types.js";
import { hasEnded } from "./task-table.js";
import type { TaskTable } from "./task-table.js";

/** What a run's graph and the learned durations predict. */
export interface Forecast {
  /** The makespan predicted before the run started. */
  readonly predictedMs: number;
  /** How much longer the rest is predicted to take, from now. */
  readonly remainingMs: number;
}

/**
 * What the time left depends on, as data a worker can be sent (structured clone): the tasks
 * that have ended, and when each running attempt started (ms from the run's start). A task in
 * neither is still to run.
 */
export interface Progress {
  readonly ended: ReadonlySet<string>;
  readonly running: ReadonlyMap<string, number>;
}

/** The progress of the run `table` holds: O(tasks), no simulation. */
export function progressOf(table: TaskTable): Progress {
  const ended = new Set<string>();
  const running = new Map<string, number>();
  for (const row of table.rows) {
    if (hasEnded(row.status)) ended.add(row.id);
    else if (row.status === "running" && row.attemptStartMs !== undefined)
      running.set(row.id, row.attemptStartMs);
  }
  return { ended, running };
}

/**
 * Predicts a run from its tasks' learned durations (`estimateMs`), by core's simulator (the
 * real scheduler on a virtual clock): a task without an estimate weighs the mean of the
 * others. The makespan is predicted once; the time left, on each call of {@link at}.
 */
export class Forecaster {
  readonly #tasks: readonly GraphTask[];
  readonly #slots: number;
  readonly #estimates = new Map<string, number>();
  readonly #mean: number;
  /** The makespan predicted before the run started; undefined when no task has an estimate. */
  readonly predictedMs: number | undefined;

  constructor(tasks: readonly GraphTask[], concurrency: number) {
    this.#tasks = tasks;
    this.#slots = Math.max(1, concurrency);
    for (const task of tasks) {
      if (task.estimateMs !== undefined) this.#estimates.set(task.id, task.estimateMs);
    }
    let sum = 0;
    for (const ms of this.#estimates.values()) sum += ms;
    this.#mean = this.#estimates.size === 0 ? 0 : sum / this.#estimates.size;
    this.predictedMs =
      this.#estimates.size === 0
        ? undefined
        : simulate(graphOf(tasks), this.#estimates, { concurrency: this.#slots }).makespanMs;
  }

  /**
   * The prediction and the time left from `nowMs` (ms from the run's start; default: its latest
   * event): a running attempt weighs what its estimate leaves of it (at least 0), and starts
   * with the rest. Undefined when no task has an estimate: there is nothing to predict from.
   */
  at(table: TaskTable, nowMs: number = table.lastMs): Forecast | undefined {
    return this.from(progressOf(table), nowMs);
  }

  /**
   * {@link at} from a progress snapshot (the dashboard's forecast worker is sent one).
   */
  from(progress: Progress, nowMs: number): Forecast | undefined {
    const { predictedMs } = this;
    if (predictedMs === undefined) return undefined;
    const left = this.#tasks.filter((task) => !progress.ended.has(task.id));
    if (left.length === 0) return { predictedMs, remainingMs: 0 };
    const remaining = new Map<string, number>();
    for (const task of left) {
      const attemptStartMs = progress.running.get(task.id);
      const age = attemptStartMs === undefined ? 0 : nowMs - attemptStartMs;
      remaining.set(task.id, Math.max(0, (task.estimateMs ?? this.#mean) - age));
    }
    const slots = { concurrency: this.#slots };
    return { predictedMs, remainingMs: simulate(graphOf(left), remaining, slots).makespanMs };
  }
}

/** The prediction for a run as `table` has it: {@link Forecaster} for one call. */
export function forecast(
  tasks: readonly GraphTask[],
  concurrency: number,
  table: TaskTable,
  nowMs: number = table.lastMs,
): Forecast | undefined {
  return new Forecaster(tasks, concurrency).at(table, nowMs);
}

/**
 * A graph of the tasks for the simulator, which looks only at ids and dependencies; a
 * dependency outside `tasks` (one that has ended) is left out.
 */
function graphOf(tasks: readonly GraphTask[]): TaskGraph {
  const ids = new Set(tasks.map((task) => task.id));
  return buildGraph(
    tasks.map((task) => ({
      id: task.id,
      dependsOn: task.dependsOn.filter((id) => ids.has(id)),
      run: null,
    })),
  );
}
