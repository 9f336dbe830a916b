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
 * order a search in the simulator chose from the estimates (for graphs of up to 120 tasks,
 * the best on average over the estimates and four ±20 % samples), when at least one task of
 * the graph has one; otherwise (no estimate known, or `"critical-path"`, or `"fifo"`, which
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
  // Durations vary from run to run: a small graph's order is judged on four perturbed samples
  // too (±20 %), which a big graph's budget cannot pay for (it varies less in total anyway).
  const samples = graph.tasks.length <= robustUpTo ? 4 : 0;
  return searchPriorities(graph, estimates, { concurrency: options.concurrency, samples }).rank;
}

/** The largest graph whose search judges samples: its budget still buys 25 candidates. */
const robustUpTo = 120;

function knowsAny(graph: TaskGraph, estimates: Estimates): boolean {
  const has = (id: string): boolean =>
    estimates instanceof Map ? estimates.has(id) : Object.hasOwn(estimates, id);
  return graph.tasks.some((t) => has(t.id));
}
