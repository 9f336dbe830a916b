import type { TaskGraph } from "./graph.js";
import { OutcomeWords } from "./outcome-words.js";
import type { TaskRecord } from "./outcome.js";
import { criticalPath } from "./plan.js";
import type { RunResult } from "./run-graph.js";

/** One attempt in a slot's lane, in ms from the run's start. */
export interface LaneEntry {
  readonly taskId: string;
  readonly attempt: number;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * What a run achieved and what held it back, from what ran. Times in ms. A run that stopped
 * early (a failure, a cancellation) is described as far as it went: the critical path and the
 * figures cover the attempts that ran, and `complete` says so.
 */
export interface RunAnalysis {
  /** Wall time from the first start to the last end. */
  readonly makespanMs: number;
  /** Sum of task durations: the one-at-a-time estimate. Tasks restored by the cache count 0. */
  readonly sequentialMs: number;
  /** sequentialMs / makespanMs. */
  readonly speedup: number;
  /** speedup / slots. */
  readonly efficiency: number;
  /** The longest chain of dependent tasks by their actual durations, of tasks that ran. */
  readonly criticalPath: readonly string[];
  readonly criticalPathMs: number;
  /** max(criticalPathMs, slot-weighted work / slots): no schedule could have done better. */
  readonly lowerBoundMs: number;
  /** makespanMs / lowerBoundMs: 1 is a perfect run. */
  readonly lowerBoundRatio: number;
  /** Share of the makespan with at most one task running. */
  readonly serialFraction: number;
  /** Slot time with nothing running: slots × makespan − slot-weighted work. */
  readonly idleSlotMs: number;
  /** Each slot's attempts, in start order. */
  readonly lanes: readonly (readonly LaneEntry[])[];
  /**
   * Whether every task ran to its own end in this run: none skipped, cancelled, reused from the
   * run it resumed, or restored by the task cache. When false, the figures above describe only
   * what ran.
   */
  readonly complete: boolean;
  /** How each task that did not succeed ended, in words ("exit code 2"), by id. */
  readonly errors: ReadonlyMap<string, string>;
}

/** Analyses a run against its graph, from what ran. */
export function analyze(graph: TaskGraph, run: RunResult): RunAnalysis {
  const slots = run.concurrency;
  const durations = new Float64Array(graph.tasks.length);
  let first = Infinity;
  let last = -Infinity;
  let weightedWork = 0;
  const lanes: LaneEntry[][] = Array.from({ length: slots }, () => []);
  run.tasks.forEach((task, i) => {
    const weight = Math.min(graph.tasks[i]?.slots ?? 1, slots);
    // A task the cache restored did not run: its few ms are no work parallelism saved.
    const work = task.cached === true ? 0 : 1;
    for (const span of task.spans) {
      const length = span.end - span.start;
      durations[i] = (durations[i] ?? 0) + length * work;
      weightedWork += length * weight * work;
      first = Math.min(first, span.start);
      last = Math.max(last, span.end);
      lanes[span.slot]?.push({
        taskId: task.id,
        attempt: span.attempt,
        startMs: span.start - run.startedAt,
        endMs: span.end - run.startedAt,
      });
    }
  });
  for (const lane of lanes) lane.sort((a, b) => a.startMs - b.startMs);
  const makespanMs = last > first ? last - first : 0;
  const sequentialMs = durations.reduce((a, b) => a + b, 0);
  const cp = criticalPath(graph, durations);
  // Tasks that never ran weigh nothing, but the walk along the path can still step onto them.
  const ran = new Set(
    run.tasks
      .filter((task) => task.spans.length > 0 && task.cached !== true)
      .map((task) => task.id),
  );
  const lowerBoundMs = Math.max(cp.length, weightedWork / slots);
  const speedup = makespanMs > 0 ? sequentialMs / makespanMs : 1;
  return {
    makespanMs,
    sequentialMs,
    speedup,
    efficiency: speedup / slots,
    criticalPath: cp.path.filter((id) => ran.has(id)),
    criticalPathMs: cp.length,
    lowerBoundMs,
    lowerBoundRatio: lowerBoundMs > 0 ? makespanMs / lowerBoundMs : 1,
    serialFraction: makespanMs > 0 ? serialTime(run) / makespanMs : 0,
    idleSlotMs: Math.max(0, slots * makespanMs - weightedWork),
    lanes,
    complete: run.tasks.every(
      (task) =>
        task.reused !== true &&
        task.cached !== true &&
        task.status !== "skipped" &&
        task.status !== "cancelled",
    ),
    errors: outcomesInWords(graph, run),
  };
}

function outcomesInWords(graph: TaskGraph, run: RunResult): Map<string, string> {
  const words = new OutcomeWords(graph);
  // Every outcome is noted before any is put in words (a task may be declared before the
  // dependency whose failure skipped it), the failures in the order they happened.
  const end = (task: TaskRecord): number => task.spans.at(-1)?.end ?? Infinity;
  const failed = run.tasks.filter((task) => task.status === "failed");
  for (const task of failed.sort((a, b) => end(a) - end(b))) words.note(task);
  for (const task of run.tasks) words.note(task);
  const errors = new Map<string, string>();
  for (const task of run.tasks) {
    const text = words.of(task);
    if (text !== undefined) errors.set(task.id, text);
  }
  return errors;
}

/** Time between the first start and the last end during which at most one attempt ran. */
function serialTime(run: RunResult): number {
  const count = run.tasks.reduce((sum, task) => sum + task.spans.length, 0);
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let k = 0;
  for (const task of run.tasks) {
    for (const span of task.spans) {
      starts[k] = span.start;
      ends[k++] = span.end;
    }
  }
  starts.sort();
  ends.sort();
  // Sweep both sorted edge lists; at equal times an end is taken before a start.
  let running = 0;
  let serial = 0;
  let previous = starts[0] ?? 0;
  for (let s = 0, e = 0; e < count;) {
    const takeStart = s < count && (starts[s] ?? 0) < (ends[e] ?? 0);
    const time = takeStart ? (starts[s++] ?? 0) : (ends[e++] ?? 0);
    if (running <= 1) serial += time - previous;
    running += takeStart ? 1 : -1;
    previous = time;
  }
  return serial;
}
