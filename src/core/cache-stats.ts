import type { RunSummary } from "./summary.js";

/** How often one task was restored by the task cache. */
export interface TaskCacheRate {
  readonly id: string;
  /** Runs in which the task was cached (a hit or a miss). */
  readonly runs: number;
  readonly hits: number;
  /** hits / runs. */
  readonly hitRate: number;
}

/** What the task cache did over some runs. */
export interface CacheStats {
  /** Runs that used the cache. */
  readonly runs: number;
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses). */
  readonly hitRate: number;
  /** What the hit tasks took when they ran, summed, in ms. */
  readonly savedMs: number;
  /** Each task that was cached at least once, by hit rate then id. */
  readonly tasks: readonly TaskCacheRate[];
}

/** The cache's hit rates over `summaries`; undefined when none of them used the cache. */
export function cacheStats(summaries: readonly RunSummary[]): CacheStats | undefined {
  const used = summaries.filter((summary) => summary.cache !== undefined);
  if (used.length === 0) return undefined;
  const byTask = new Map<string, { runs: number; hits: number }>();
  let savedMs = 0;
  for (const summary of used) {
    savedMs += summary.cache?.savedMs ?? 0;
    for (const task of summary.tasks) {
      if (task.cache !== "hit" && task.cache !== "miss") continue;
      const counts = byTask.get(task.id) ?? { runs: 0, hits: 0 };
      counts.runs++;
      if (task.cache === "hit") counts.hits++;
      byTask.set(task.id, counts);
    }
  }
  const tasks = [...byTask]
    .map(([id, { runs, hits }]) => ({ id, runs, hits, hitRate: hits / runs }))
    .sort((a, b) => b.hitRate - a.hitRate || (a.id < b.id ? -1 : 1));
  const hits = tasks.reduce((sum, task) => sum + task.hits, 0);
  const looked = tasks.reduce((sum, task) => sum + task.runs, 0);
  return {
    runs: used.length,
    hits,
    misses: looked - hits,
    hitRate: looked === 0 ? 0 : hits / looked,
    savedMs,
    tasks,
  };
}
