import type { TaskGraph } from "./graph.js";
import { Heap } from "./heap.js";
import { Scheduler } from "./scheduler.js";

/** Options of {@link makespanOf}. */
export interface MakespanOptions {
  /** Slots: an integer ≥ 1 or Infinity (not checked here: callers have checked it). */
  readonly concurrency: number;
  /** Each task's rank after user priority, higher first (what the scheduler calls `remaining`). */
  readonly rank: Float64Array;
}

/**
 * The makespan the real `Scheduler` reaches when ready tasks are ranked by `rank` and task i
 * takes `duration[i]`: `simulate` without the record, for searches that run it many times.
 * Tasks ending at the same moment end one at a time in the order they started, each followed
 * by a dispatch, exactly as on the `VirtualClock`, so both give the same schedule.
 */
export function makespanOf(
  graph: TaskGraph,
  duration: Float64Array,
  options: MakespanOptions,
): number {
  const scheduler = new Scheduler(graph, {
    concurrency: options.concurrency,
    remaining: options.rank,
    order: "critical-path",
  });
  const end = new Float64Array(graph.tasks.length);
  const startSeq = new Int32Array(graph.tasks.length);
  let seq = 0;
  const running = new Heap<number>(
    (a, b) =>
      (end[a] ?? 0) < (end[b] ?? 0) ||
      ((end[a] ?? 0) === (end[b] ?? 0) && (startSeq[a] ?? 0) < (startSeq[b] ?? 0)),
  );
  let now = 0;
  const dispatch = (): void => {
    for (const { task } of scheduler.dispatch()) {
      end[task] = now + Math.max(0, duration[task] ?? 0);
      startSeq[task] = seq++;
      running.push(task);
    }
  };
  scheduler.start();
  dispatch();
  for (let task = running.pop(); task !== undefined; task = running.pop()) {
    now = Math.max(now, end[task] ?? 0);
    scheduler.succeed(task);
    dispatch();
  }
  return now;
}
