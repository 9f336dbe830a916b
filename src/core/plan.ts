import type { TaskGraph } from "./graph.js";

/** Estimated durations by task id, in ms (from history, or a user's guess). */
export type Estimates = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/**
 * Each task's weight for planning: its estimate; the mean of the known estimates when it has
 * none; 1 (unit weight) when nothing at all is known.
 */
export function weightsFrom(graph: TaskGraph, estimates?: Estimates): Float64Array {
  const size = estimates instanceof Map ? estimates.size : Object.keys(estimates ?? {}).length;
  if (estimates === undefined || size === 0) return new Float64Array(graph.tasks.length).fill(1);
  const known = graph.tasks.map((task) => estimateOf(estimates, task.id));
  const valid = known.filter((v): v is number => v !== undefined && Number.isFinite(v) && v >= 0);
  const fallback = valid.length === 0 ? 1 : valid.reduce((a, b) => a + b, 0) / valid.length;
  return Float64Array.from(known, (v) =>
    v !== undefined && Number.isFinite(v) && v >= 0 ? v : fallback,
  );
}

/** The value `estimates` holds for `id`, whether a map or a record; undefined when none. */
export function estimateOf(estimates: Estimates, id: string): number | undefined {
  if (estimates instanceof Map) return (estimates as ReadonlyMap<string, number>).get(id);
  const record = estimates as Readonly<Record<string, number>>;
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

/** The topological level of each task: 0 without dependencies, else 1 + its deepest dependency. */
export function levels(graph: TaskGraph): Int32Array {
  const level = new Int32Array(graph.tasks.length);
  for (const task of graph.order) {
    let deepest = -1;
    for (const dep of graph.dependencies[task] ?? []) deepest = Math.max(deepest, level[dep] ?? 0);
    level[task] = deepest + 1;
  }
  return level;
}

/** Task ids grouped by topological level: what a wave-barrier runner would run together. */
export function waves(graph: TaskGraph): string[][] {
  const result: string[][] = [];
  levels(graph).forEach((level, task) => {
    (result[level] ??= []).push(graph.tasks[task]?.id ?? "");
  });
  return result;
}

/**
 * For each task, the longest weighted path from its start to the end of the graph, its own
 * weight included: the "remaining work" that list scheduling should start first.
 */
export function remainingPath(graph: TaskGraph, weights: Float64Array): Float64Array {
  const remaining = new Float64Array(graph.tasks.length);
  for (let k = graph.order.length - 1; k >= 0; k--) {
    const task = graph.order[k] ?? 0;
    let longest = 0;
    for (const next of graph.dependents[task] ?? [])
      longest = Math.max(longest, remaining[next] ?? 0);
    remaining[task] = (weights[task] ?? 0) + longest;
  }
  return remaining;
}

/**
 * Each task's effective priority: the highest `priority` (default 0) of the task itself and of
 * every task that depends on it, directly or not. A task is then never held back behind a
 * lower-priority one while a higher-priority task waits for it.
 */
export function effectivePriorities(graph: TaskGraph): Float64Array {
  const priority = Float64Array.from(graph.tasks, (t) => t.priority ?? 0);
  for (let k = graph.order.length - 1; k >= 0; k--) {
    const task = graph.order[k] ?? 0;
    for (const next of graph.dependents[task] ?? []) {
      if ((priority[next] ?? 0) > (priority[task] ?? 0)) priority[task] = priority[next] ?? 0;
    }
  }
  return priority;
}

/** A chain of dependent tasks and its weighted length. */
export interface CriticalPath {
  /** Task ids, first to last. */
  readonly path: readonly string[];
  /** Sum of the chain's weights. */
  readonly length: number;
}

/** The longest weighted chain of dependent tasks: no schedule can finish sooner than it. */
export function criticalPath(graph: TaskGraph, weights: Float64Array): CriticalPath {
  const remaining = remainingPath(graph, weights);
  let current = -1;
  let length = 0;
  graph.tasks.forEach((_, task) => {
    const value = remaining[task] ?? 0;
    if ((graph.dependencies[task] ?? []).length === 0 && value > length) {
      current = task;
      length = value;
    }
  });
  const path: string[] = [];
  while (current !== -1) {
    path.push(graph.tasks[current]?.id ?? "");
    let next = -1;
    let best = -1;
    for (const dependent of graph.dependents[current] ?? []) {
      const value = remaining[dependent] ?? 0;
      if (value > best) {
        best = value;
        next = dependent;
      }
    }
    current = next;
  }
  return { path, length };
}
