import type { RunSummary, TaskSummary } from "../../core/index.js";

/**
 * What seed 001's panels read of a run: its summary once it ended, or, while it runs, the tasks
 * that ended so far (panels-so-far.ts). `makespanMs` is the time so far then.
 */
export type PanelRun = Pick<RunSummary, "tasks" | "concurrency" | "makespanMs" | "sequentialMs"> &
  Partial<
    Pick<
      RunSummary,
      "throughputPerSec" | "measuredSequentialMs" | "distribution" | "workerDistribution"
    >
  >;

/** Tasks that succeeded per second: in this run, and one at a time (seed 001's throughput panel). */
export interface Throughput {
  readonly parallelPerSec: number;
  /** One at a time, estimated from the sum of task times. */
  readonly sequentialPerSec: number;
  /** One at a time as measured by `--compare-sequential`, when it was. */
  readonly measuredSequentialPerSec?: number;
}

const perSec = (count: number, ms: number): number => (ms > 0 ? count / (ms / 1000) : 0);

/** The throughput panel's numbers. */
export function throughput(summary: PanelRun): Throughput {
  const succeeded = summary.tasks.filter((t) => t.status === "succeeded").length;
  const parallelPerSec = summary.throughputPerSec ?? perSec(succeeded, summary.makespanMs);
  const sequentialPerSec = perSec(succeeded, summary.sequentialMs);
  return summary.measuredSequentialMs === undefined
    ? { parallelPerSec, sequentialPerSec }
    : {
        parallelPerSec,
        sequentialPerSec,
        measuredSequentialPerSec: perSec(succeeded, summary.measuredSequentialMs),
      };
}

/** A group's tasks one at a time (the sum of their times) and in this run (first start to last end). */
export interface GroupTime {
  readonly group: string;
  readonly tasks: number;
  readonly sequentialMs: number;
  readonly parallelMs: number;
}

/** Each group's sequential and parallel time, in order of first appearance; ungrouped tasks are `other`. */
export function groupTimes(summary: PanelRun): GroupTime[] {
  const groups = new Map<string, { tasks: number; sum: number; first: number; last: number }>();
  for (const task of summary.tasks) {
    if (task.startMs === undefined || task.endMs === undefined) continue;
    const name = task.group ?? "other";
    const group = groups.get(name) ?? { tasks: 0, sum: 0, first: Infinity, last: -Infinity };
    group.tasks += 1;
    group.sum += task.durationMs ?? task.endMs - task.startMs;
    group.first = Math.min(group.first, task.startMs);
    group.last = Math.max(group.last, task.endMs);
    groups.set(name, group);
  }
  return [...groups].map(([group, g]) => ({
    group,
    tasks: g.tasks,
    sequentialMs: g.sum,
    parallelMs: g.last - g.first,
  }));
}

/** Time spent starting processes. */
export interface SpawnOverhead {
  /** Tasks whose spawn time is known (process tasks). */
  readonly tasks: number;
  readonly totalMs: number;
  readonly meanMs: number;
  /** totalMs / the sum of task times. */
  readonly shareOfWork: number;
}

/** The spawn overhead panel's numbers; undefined when no task reported a spawn time. */
export function spawnOverhead(summary: PanelRun): SpawnOverhead | undefined {
  const spawned = summary.tasks.filter((t) => t.spawnMs !== undefined);
  if (spawned.length === 0) return undefined;
  const totalMs = spawned.reduce((sum, t) => sum + (t.spawnMs ?? 0), 0);
  return {
    tasks: spawned.length,
    totalMs,
    meanMs: totalMs / spawned.length,
    shareOfWork: summary.sequentialMs > 0 ? totalMs / summary.sequentialMs : 0,
  };
}

/** The `count` tasks that used the most of `measure`, most first; tasks without it are left out. */
export function heaviest(
  summary: PanelRun,
  measure: "cpuMs" | "peakRssBytes",
  count: number,
): TaskSummary[] {
  return summary.tasks
    .filter((t) => t[measure] !== undefined)
    .sort((a, b) => (b[measure] ?? 0) - (a[measure] ?? 0))
    .slice(0, count);
}

/** The slot × group (or worker × group) matrix: busy ms per group (rows) and column. */
export interface Matrix {
  /** Slots of the runner, or the distributed workers that ran the tasks. */
  readonly by: "slot" | "worker";
  readonly groups: readonly string[];
  /** The columns' names: `slot 0`…, or the workers' `host/pid`. */
  readonly columns: readonly string[];
  readonly cells: readonly (readonly number[])[];
  /** The largest cell, for shading. */
  readonly max: number;
}

/** The distribution matrix of the summary (by worker when tasks ran on workers); undefined when it has none. */
export function distributionMatrix(summary: PanelRun): Matrix | undefined {
  const byWorker = Object.entries(summary.workerDistribution ?? {});
  if (byWorker.length > 0) {
    const columns = [...new Set(byWorker.flatMap(([, workers]) => Object.keys(workers)))].sort();
    const cells = byWorker.map(([, workers]) => columns.map((worker) => workers[worker] ?? 0));
    return matrix(
      "worker",
      byWorker.map(([group]) => group),
      columns,
      cells,
    );
  }
  const entries = Object.entries(summary.distribution ?? {});
  if (entries.length === 0) return undefined;
  const slots = Math.max(summary.concurrency, ...entries.map(([, lanes]) => lanes.length));
  const cells = entries.map(([, lanes]) => Array.from({ length: slots }, (_, i) => lanes[i] ?? 0));
  const columns = Array.from({ length: slots }, (_, slot) => `slot ${slot}`);
  return matrix(
    "slot",
    entries.map(([group]) => group),
    columns,
    cells,
  );
}

function matrix(
  by: Matrix["by"],
  groups: readonly string[],
  columns: readonly string[],
  cells: readonly (readonly number[])[],
): Matrix {
  return { by, groups, columns, cells, max: Math.max(0, ...cells.flat()) };
}

/**
 * The scalability curve as chart columns: slots, then parex's predicted makespan with its
 * critical-path rule, a wave-barrier runner's, the lower bound (ideal), the measured makespan
 * at the run's slots (null elsewhere), and the order a warm run searches (null in summaries
 * stored before it). Undefined without a curve (a run that did not run every task).
 */
export function scalabilityColumns(summary: RunSummary): (number | null)[][] | undefined {
  const points = summary.scalability ?? [];
  if (points.length < 2) return undefined;
  return [
    points.map((p) => p.slots),
    points.map((p) => p.makespanMs),
    points.map((p) => p.waveMakespanMs),
    points.map((p) => p.lowerBoundMs),
    points.map((p) => (p.slots === summary.concurrency ? summary.makespanMs : null)),
    points.map((p) => p.searchedMakespanMs ?? null),
  ];
}
