import { join } from "node:path";
import type { Command, RunSummary, TaskGraph } from "../core/index.js";
import type { CacheMode, TaskCacheStatus } from "../cache/index.js";
import { LogFile } from "../exec/index.js";
import type { Io } from "./io.js";
import type { RunPart } from "./run-parts.js";

/** The most the local cache keeps: after a run that stored, least recently used entries go. */
export const maxCacheBytes = 5e9;

/** The cache modes `--cache` takes; `--no-cache` is `write`. */
export const cacheModes: readonly CacheMode[] = ["read-write", "read", "write", "off"];

/**
 * The task cache as a part of the run: it wraps the executor (look up → restore, or run →
 * store) and adds each task's `cache` and the run's hits and saved time to the summary. The
 * cache's code (tar, hashing) is loaded only for a run that has a cached task.
 */
export async function cachePart(
  graph: TaskGraph<Command>,
  options: {
    readonly projectDir: string;
    readonly mode: CacheMode;
    readonly io: Io;
    /** Where the run keeps task logs: a hit's replayed output goes there too. */
    readonly logDir: string | undefined;
  },
): Promise<RunPart> {
  const { projectDir, mode, io, logDir } = options;
  if (mode === "off" || !graph.tasks.some((task) => task.run.cache !== undefined)) return {};
  const { cachingExecutor, LocalCache, TaskKeys } = await import("../cache/index.js");
  const statuses = new Map<string, TaskCacheStatus>();
  const keys = new TaskKeys(graph, { projectDir, env: io.env });
  const store = new LocalCache(join(projectDir, ".parex", "cache"));
  let warned = 0;
  let missed = false;
  return {
    wrap: (inner) =>
      cachingExecutor(inner, {
        keys,
        store,
        mode,
        keepLog: async ({ taskId, attempt }, chunks) => {
          const log = new LogFile(logDir, taskId, attempt);
          for (const [, chunk] of chunks) await log.write(Buffer.from(chunk));
          await log.close();
        },
        record: (id, status) => {
          statuses.set(id, status);
          if (status.status === "miss") missed = true;
          if (status.note !== undefined) io.stderr(`parex: cache: "${id}" ${status.note}\n`);
        },
        // The first problem is said; the rest would say it again for every task.
        warn: (message) => {
          if (warned++ === 0) io.stderr(`parex: cache: ${message}; the run goes on\n`);
        },
      }),
    conclude: (summary) => withCache(summary, statuses),
    // The size limit, kept after a run with misses (which may have stored); least used go first.
    close: async () => {
      if (!missed || mode === "read") return;
      await store.clean({ maxBytes: maxCacheBytes }).catch(() => undefined);
    },
  };
}

/** The summary with each task's cache status and key, and the run's hits and saved time. */
function withCache(
  summary: RunSummary,
  statuses: ReadonlyMap<string, TaskCacheStatus>,
): RunSummary {
  let hits = 0;
  let misses = 0;
  let savedMs = 0;
  const tasks = summary.tasks.map((task) => {
    const cache = statuses.get(task.id);
    if (cache === undefined) return task;
    if (cache.status === "hit") {
      hits++;
      savedMs += cache.savedMs ?? 0;
    } else if (cache.status === "miss") misses++;
    return {
      ...task,
      cache: cache.status,
      ...(cache.key === undefined ? {} : { cacheKey: cache.key }),
    };
  });
  return { ...summary, tasks, cache: { hits, misses, savedMs } };
}
