import type { TaskGraph } from "./graph.js";
import { remainingPath, weightsFrom } from "./plan.js";
import type { Estimates } from "./plan.js";
import { searchPriorities } from "./priority-search.js";
import type { ReadyOrder } from "./scheduler.js";

/** Options of {@link readyRank}. */
export interface ReadyRankOptions {
  /** Slots: an integer ≥ 1 or Infinity. */
  readonly concurrency: number;
  /** Default `"searched"`. */
  readonly order?: ReadyOrder;
}

/**
 * The rank a run's scheduler orders ready tasks by (its `remaining`): under `"searched"`, the
 * order a search in the simulator chose from the estimates, when at least one task of the
 * graph has one; otherwise (no estimate known, or `"critical-path"`, or `"fifo"`, which
 * ignores it) the longest remaining path, as before the search existed, at no extra cost.
 */
export function readyRank(
  graph: TaskGraph,
  estimates: Estimates | undefined,
  options: ReadyRankOptions,
): Float64Array {
  if (
    (options.order ?? "searched") !== "searched" ||
    estimates === undefined ||
    !knowsAny(graph, estimates)
  )
    return remainingPath(graph, weightsFrom(graph, estimates));
  return searchPriorities(graph, estimates, { concurrency: options.concurrency }).rank;
}

function knowsAny(graph: TaskGraph, estimates: Estimates): boolean {
  const has = (id: string): boolean =>
    estimates instanceof Map ? estimates.has(id) : Object.hasOwn(estimates, id);
  return graph.tasks.some((t) => has(t.id));
}
