import type { LiveStatus, TaskRow } from "./task-table.js";

/** A Gantt bar: one task on the lane of its (last) slot, in pixels. */
export interface Bar {
  readonly id: string;
  readonly lane: number;
  readonly x: number;
  readonly width: number;
  readonly status: LiveStatus;
  /** Some attempt failed and was tried again. */
  readonly retried: boolean;
  readonly fallbackUsed: boolean;
}

/** How ms map to pixels: `spanMs` spans `widthPx`. */
export interface TimeScale {
  readonly spanMs: number;
  readonly widthPx: number;
}

/**
 * The time axis's span: the makespan once the run has ended; while it runs, the next "nice"
 * span (1, 2 or 5 × 10ⁿ ms) with room to grow, so that the bars are laid out again only when
 * the run outgrows it, a few times per run, not on every frame.
 */
export function axisSpan(elapsedMs: number, ended: boolean): number {
  if (ended) return Math.max(1, elapsedMs);
  const wanted = Math.max(1_000, elapsedMs * 1.1);
  const power = 10 ** Math.floor(Math.log10(wanted));
  for (const step of [1, 2, 5, 10]) if (step * power >= wanted) return step * power;
  return 10 * power;
}

/**
 * A task's bar, or undefined when it never started. A running task's bar ends at `nowMs`; it
 * is at least 1 px wide, so that a 0 ms task still shows.
 */
export function barOf(row: TaskRow, scale: TimeScale, nowMs: number): Bar | undefined {
  const lane = row.lane ?? row.slot;
  if (row.startMs === undefined || lane === undefined) return undefined;
  const end = row.endMs ?? Math.max(row.startMs, nowMs);
  const px = scale.widthPx / scale.spanMs;
  return {
    id: row.id,
    lane,
    x: row.startMs * px,
    width: Math.max(1, (end - row.startMs) * px),
    status: row.status,
    retried: row.retries > 0,
    fallbackUsed: row.fallbackUsed,
  };
}

/**
 * The number of lanes: the run's slots, or more when a task ran on a higher slot; in a
 * distributed run, its workers' lanes (`workerLanes`, from the table).
 */
export function laneCount(
  rows: readonly TaskRow[],
  concurrency: number,
  workerLanes: readonly string[] = [],
): number {
  if (workerLanes.length > 0) return workerLanes.length;
  let lanes = Math.max(1, concurrency);
  for (const row of rows) if (row.slot !== undefined && row.slot >= lanes) lanes = row.slot + 1;
  return lanes;
}

/** Evenly spaced tick times from 0 to `spanMs`, on round values. */
export function ticks(spanMs: number, count = 5): number[] {
  const rough = spanMs / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * power).find((s) => s >= rough) ?? rough;
  const result: number[] = [];
  for (let t = 0; t <= spanMs + step / 1e6; t += step) result.push(Math.round(t * 1e6) / 1e6);
  return result;
}
