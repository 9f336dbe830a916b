import type { TaskGraph } from "./graph.js";
import { remainingPath } from "./plan.js";

/** Options of {@link exactOrder}. */
export interface ExactOrderOptions {
  /** Identical slots, an integer ≥ 1 (checked by the caller). */
  readonly slots: number;
  /** The makespan to beat: only strictly shorter schedules are looked for. */
  readonly incumbentMs: number;
  /** Search nodes at most (a node is one dispatch or one task's end). */
  readonly nodes: number;
}

/** What {@link exactOrder} found. */
export interface ExactOrder {
  /** Tasks in the order the best schedule found starts them; undefined if none beat the incumbent. */
  readonly order: readonly number[] | undefined;
  /** Its makespan, or the incumbent's when none was found. */
  readonly makespanMs: number;
  /** Nodes visited. */
  readonly nodes: number;
  /** Whether the whole tree was searched: then no list schedule is shorter than `makespanMs`. */
  readonly complete: boolean;
}

/** Whether {@link exactOrder} models the graph's scheduler: one slot a task, no mutex, no user priority. */
export function exactOrderFits(graph: TaskGraph): boolean {
  return graph.tasks.every(
    (t) => (t.slots ?? 1) === 1 && t.mutex === undefined && t.priority === undefined,
  );
}

interface Running {
  readonly task: number;
  readonly end: number;
}

/**
 * The shortest list schedule of a small graph, by branch and bound over dispatch decisions:
 * whenever a slot is free and tasks are ready, some ready task starts, each in turn. Every
 * priority list gives such a sequence and every sequence is given by one (its own start
 * order, highest first), so within `nodes` this is the optimum over all priority lists,
 * without simulating n! of them. Tasks ending together end one at a time in the order they
 * started, each followed by a dispatch, as in the scheduler. Pruned by the incumbent against
 * the running tasks' ends, the ready tasks' remaining paths and the work left over the slots.
 */
export function exactOrder(
  graph: TaskGraph,
  weights: Float64Array,
  options: ExactOrderOptions,
): ExactOrder {
  const n = graph.tasks.length;
  const tail = remainingPath(graph, weights);
  // Children are tried longest remaining path first, so good schedules come early; `place`
  // is a task's position in that order, and the tasks started at one instant are a set,
  // tried once, in increasing place.
  const byTail = Array.from(tail.keys()).sort((a, b) => (tail[b] ?? 0) - (tail[a] ?? 0) || a - b);
  const place = new Int32Array(n);
  byTail.forEach((task, i) => (place[task] = i));
  const waiting = Int32Array.from(graph.dependencies, (d) => d.length);
  const ready = new Uint8Array(n);
  for (let t = 0; t < n; t++) if (waiting[t] === 0) ready[t] = 1;
  let readyCount = ready.reduce((a, b) => a + b, 0);
  const running: Running[] = [];
  const started: number[] = [];
  let left = weights.reduce((a, b) => a + b, 0);
  let best = options.incumbentMs;
  let bestOrder: number[] | undefined;
  let nodes = 0;
  let stopped = false;

  const lowerBound = (now: number): number => {
    let bound = now;
    let busy = 0;
    for (const r of running) {
      // A running task's end, then the longest path after it.
      bound = Math.max(bound, r.end + (tail[r.task] ?? 0) - (weights[r.task] ?? 0));
      busy += r.end - now;
    }
    for (const task of byTail) {
      if (ready[task] === 1) {
        bound = Math.max(bound, now + (tail[task] ?? 0));
        break;
      }
    }
    return Math.max(bound, now + (left + busy) / options.slots);
  };

  const search = (now: number, from: number): void => {
    if (stopped) return;
    if (++nodes > options.nodes) {
      stopped = true;
      return;
    }
    if (lowerBound(now) >= best) return;
    if (running.length < options.slots && readyCount > 0) {
      for (let p = from; p < n; p++) {
        const task = byTail[p] ?? 0;
        if (ready[task] !== 1) continue;
        const d = weights[task] ?? 0;
        ready[task] = 0;
        readyCount--;
        left -= d;
        running.push({ task, end: now + Math.max(0, d) });
        started.push(task);
        search(now, p + 1);
        started.pop();
        running.pop();
        left += d;
        readyCount++;
        ready[task] = 1;
      }
      return;
    }
    if (running.length === 0) {
      if (readyCount === 0 && started.length === n && now < best) {
        best = now;
        bestOrder = started.slice();
      }
      return;
    }
    finishFirst(now);
  };

  const finishFirst = (now: number): void => {
    let first = 0;
    running.forEach((r, i) => {
      if (r.end < (running[first]?.end ?? Infinity)) first = i;
    });
    const [done] = running.splice(first, 1);
    if (done === undefined) return;
    const freed: number[] = [];
    for (const next of graph.dependents[done.task] ?? []) {
      waiting[next] = (waiting[next] ?? 0) - 1;
      if (waiting[next] === 0) {
        ready[next] = 1;
        freed.push(next);
      }
    }
    readyCount += freed.length;
    search(Math.max(now, done.end), 0);
    readyCount -= freed.length;
    for (const next of freed) ready[next] = 0;
    for (const next of graph.dependents[done.task] ?? []) waiting[next] = (waiting[next] ?? 0) + 1;
    running.splice(first, 0, done);
  };

  search(0, 0);
  return {
    order: bestOrder,
    makespanMs: best,
    nodes: Math.min(nodes, options.nodes),
    complete: !stopped,
  };
}
