import type { TaskGraph } from "./graph.js";
import { estimateOf, remainingPath, weightsFrom } from "./plan.js";
import type { Estimates } from "./plan.js";
import { searchPriorities } from "./priority-search.js";
import type { PrioritySearch } from "./priority-search.js";
import type { ReadyOrder } from "./scheduler.js";

/** Options of {@link readyRank}. */
export interface ReadyRankOptions {
  /** Slots: an integer ≥ 1 or Infinity. */
  readonly concurrency: number;
  /** Default `"searched"`. */
  readonly order?: ReadyOrder;
  /**
   * Each task's run-to-run spread (σ of its duration's logarithm), for the samples a small
   * graph's order is judged on. Default: ±20 % (0.2) for every task.
   */
  readonly spreads?: Estimates;
}

/**
 * The rank a run's scheduler orders ready tasks by (its `remaining`): under `"searched"`, the
 * order a search in the simulator chose from the estimates (for graphs of up to 120 tasks,
 * its ties told apart on 32 samples drawn from each task's spread, ±20 % where none is
 * known), when at least one task of the graph has one; otherwise (no estimate known, or
 * `"critical-path"`, or `"fifo"`, which ignores it) the longest remaining path, as before the
 * search existed, at no extra cost.
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
  return searchedOrder(graph, estimates, options).rank;
}

/**
 * The search a run makes for its order (see {@link readyRank}), with what it found: `parex
 * plan` shows it.
 */
export function searchedOrder(
  graph: TaskGraph,
  estimates: Estimates,
  options: ReadyRankOptions,
): PrioritySearch {
  // Durations vary from run to run: a small graph's ties are judged on 32 perturbed samples,
  // which a big graph's budget cannot pay for (it varies less in total anyway).
  const samples = graph.tasks.length <= robustUpTo ? 32 : 0;
  return searchPriorities(graph, estimates, {
    concurrency: options.concurrency,
    samples,
    ...(options.spreads === undefined ? {} : { spreads: options.spreads }),
  });
}

/** The largest graph whose search judges samples: its budget still buys 25 candidates. */
const robustUpTo = 120;

function knowsAny(graph: TaskGraph, estimates: Estimates): boolean {
  return graph.tasks.some((t) => estimateOf(estimates, t.id) !== undefined);
}
