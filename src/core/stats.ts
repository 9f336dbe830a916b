import type { RunSummary } from "./summary.js";

/** How runs are grouped over time. */
export type Period = "day" | "week";

/** The numbers of one period: seed 001's weekly performance summary. */
export interface PeriodStats {
  /** The period's first day, YYYY-MM-DD (UTC; weeks start on Monday). */
  readonly period: string;
  readonly runs: number;
  /** Runs that failed. */
  readonly failed: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Share of runs that failed. */
  readonly failureRate: number;
  /** Mean tasks succeeded per second. */
  readonly throughputPerSec: number;
  /**
   * Mean parallel efficiency of the period's runs that ran every task to its end, whatever
   * their outcome; null when none did. A run that stopped early (tasks skipped or cancelled
   * after a failure) has the efficiency of what ran, which says little of the project: it is
   * left out, and a period of only such runs has no figure, rather than a false 0.
   */
  readonly efficiency: number | null;
  /** Tasks that failed and then passed on a retry, with how often. */
  readonly flaky: readonly { readonly id: string; readonly runs: number }[];
}

/** Makespan statistics, failure rate, throughput, efficiency and flaky tasks per period, newest first. */
export function periodStats(summaries: readonly RunSummary[], by: Period): PeriodStats[] {
  const groups = new Map<string, RunSummary[]>();
  for (const summary of summaries) {
    const key = periodOf(new Date(summary.startedAt), by);
    (groups.get(key) ?? groups.set(key, []).get(key))?.push(summary);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([period, runs]) => {
      const makespans = runs.map((r) => r.makespanMs).sort((a, b) => a - b);
      const flaky = new Map<string, number>();
      for (const run of runs) {
        for (const task of run.tasks) {
          if (task.status === "succeeded" && task.attempts > 1)
            flaky.set(task.id, (flaky.get(task.id) ?? 0) + 1);
        }
      }
      const failed = runs.filter((r) => r.status === "failed").length;
      return {
        period,
        runs: runs.length,
        failed,
        meanMs: mean(makespans),
        p50Ms: percentile(makespans, 50),
        p95Ms: percentile(makespans, 95),
        p99Ms: percentile(makespans, 99),
        failureRate: failed / runs.length,
        throughputPerSec: mean(runs.map((r) => r.throughputPerSec ?? 0)),
        efficiency: meanOrNull(runs.filter((r) => r.complete !== false).map((r) => r.efficiency)),
        flaky: [...flaky].sort((a, b) => b[1] - a[1]).map(([id, count]) => ({ id, runs: count })),
      };
    });
}

/** A task whose outcome wavers from run to run. */
export interface FlakyTask {
  readonly id: string;
  /** Runs in which it ran to its end (succeeded or failed). */
  readonly runs: number;
  /** Of those, the runs in which an attempt of it failed: it failed, or passed only on a retry. */
  readonly failures: number;
  /** How often its outcome (passed or failed) changed from one run to the next, oldest first. */
  readonly flips: number;
}

/**
 * The flaky tasks of these runs: those that passed on a retry, or whose outcome changed more
 * than once (failed, passed, failed: once is a break and its fix). Most failures first.
 */
export function flakyTasks(summaries: readonly RunSummary[]): FlakyTask[] {
  const oldestFirst = [...summaries].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  const seen = new Map<string, FlakyTask & { last: string; retried: boolean }>();
  for (const run of oldestFirst) {
    for (const task of run.tasks) {
      if (task.status !== "succeeded" && task.status !== "failed") continue;
      const retried = task.status === "succeeded" && task.attempts > 1;
      const before = seen.get(task.id);
      seen.set(task.id, {
        id: task.id,
        runs: (before?.runs ?? 0) + 1,
        failures: (before?.failures ?? 0) + (task.status === "failed" || retried ? 1 : 0),
        flips: (before?.flips ?? 0) + (before !== undefined && before.last !== task.status ? 1 : 0),
        last: task.status,
        retried: (before?.retried ?? false) || retried,
      });
    }
  }
  return [...seen.values()]
    .filter((task) => task.retried || task.flips > 1)
    .sort((a, b) => b.failures - a.failures || b.flips - a.flips || (a.id < b.id ? -1 : 1))
    .map(({ id, runs, failures, flips }) => ({ id, runs, failures, flips }));
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
  );
}

function mean(values: readonly number[]): number {
  return meanOrNull(values) ?? 0;
}

/** The mean, or null of no values: a figure nothing measured. */
function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The period `date` falls in, as its first day (YYYY-MM-DD, UTC; weeks start on Monday). */
export function periodOf(date: Date, by: Period): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (by === "week") day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}
