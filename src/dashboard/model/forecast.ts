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
 * The predicted makespan and the time left, from the tasks' learned durations (`estimateMs`),
 * by core's simulator (the real scheduler on a virtual clock): a task without an estimate
 * weighs the mean of the others; a running attempt weighs what its estimate leaves of it (at
 * least 0), and starts with the rest. `nowMs` is in ms from the run's start (default: its
 * latest event). Undefined when no task has an estimate: there is nothing to predict from.
 */
export function forecast(
  tasks: readonly GraphTask[],
  concurrency: number,
  table: TaskTable,
  nowMs: number = table.lastMs,
): Forecast | undefined {
  const estimates = new Map<string, number>();
  for (const task of tasks) {
    if (task.estimateMs !== undefined) estimates.set(task.id, task.estimateMs);
  }
  if (estimates.size === 0) return undefined;
  const slots = Math.max(1, concurrency);
  const predictedMs = simulate(graphOf(tasks), estimates, { concurrency: slots }).makespanMs;
  const left = tasks.filter((task) => !hasEnded(table.get(task.id)?.status ?? "waiting"));
  if (left.length === 0) return { predictedMs, remainingMs: 0 };
  const mean = [...estimates.values()].reduce((a, b) => a + b, 0) / estimates.size;
  const remaining = new Map<string, number>();
  for (const task of left) {
    const row = table.get(task.id);
    const estimate = task.estimateMs ?? mean;
    const age =
      row?.status === "running" && row.attemptStartMs !== undefined
        ? nowMs - row.attemptStartMs
        : 0;
    remaining.set(task.id, Math.max(0, estimate - age));
  }
  const remainingMs = simulate(graphOf(left), remaining, { concurrency: slots }).makespanMs;
  return { predictedMs, remainingMs };
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
