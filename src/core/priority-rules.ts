import type { TaskGraph } from "./graph.js";
import { levels, remainingPath } from "./plan.js";

/** A named way to rank ready tasks: a value per task, higher first (after user priority). */
export interface PriorityRule {
  readonly name: string;
  readonly rank: Float64Array;
}

/**
 * The portfolio a schedule search starts from, today's rule first, each a classic list
 * scheduling priority computed in time linear in tasks + edges:
 * - `critical-path`: the longest remaining weighted path (today's rule);
 * - `critical-path + work`: that path plus a share of the work below the task;
 * - `work below`: the work below the task, each task's work shared among its dependencies
 *   (so shared descendants are not counted twice), its own included;
 * - `longest first`: the task's own duration (LPT);
 * - `most dependents`: the number of dependents, then the remaining path;
 * - `levels`: earlier topological levels first, then the remaining path (a wave-barrier
 *   order without the barriers).
 */
export function priorityRules(
  graph: TaskGraph,
  weights: Float64Array,
  slots: number,
): PriorityRule[] {
  const n = graph.tasks.length;
  const remaining = remainingPath(graph, weights);
  const below = workBelow(graph, weights);
  const longest = remaining.reduce((a, b) => Math.max(a, b), 0) || 1;
  const share = 1 / Math.max(1, Math.min(slots, n));
  const level = levels(graph);
  const map = (f: (task: number) => number): Float64Array => {
    const rank = new Float64Array(n);
    for (let task = 0; task < n; task++) rank[task] = f(task);
    return rank;
  };
  // Ranks mixing two keys scale the second below the first's smallest step (a fraction of
  // the longest path), so it only breaks ties.
  const tie = (value: number): number => value / (longest * 4);
  return [
    { name: "critical-path", rank: remaining },
    {
      name: "critical-path + work",
      rank: map((t) => (remaining[t] ?? 0) + share * (below[t] ?? 0)),
    },
    { name: "work below", rank: below },
    { name: "longest first", rank: map((t) => (weights[t] ?? 0) + tie(remaining[t] ?? 0)) },
    {
      name: "most dependents",
      rank: map((t) => (graph.dependents[t]?.length ?? 0) + tie(remaining[t] ?? 0)),
    },
    { name: "levels", rank: map((t) => -(level[t] ?? 0) + tie(remaining[t] ?? 0)) },
  ];
}

/** Each task's work plus its share of the work below it (split evenly among dependencies). */
function workBelow(graph: TaskGraph, weights: Float64Array): Float64Array {
  const below = new Float64Array(graph.tasks.length);
  for (let k = graph.order.length - 1; k >= 0; k--) {
    const task = graph.order[k] ?? 0;
    let sum = weights[task] ?? 0;
    for (const next of graph.dependents[task] ?? [])
      sum += (below[next] ?? 0) / Math.max(1, graph.dependencies[next]?.length ?? 1);
    below[task] = sum;
  }
  return below;
}
