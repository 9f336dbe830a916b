import { join } from "node:path";
import { unreachable } from "../core/index.js";
import type { Command, RunSummary, TaskGraph } from "../core/index.js";
import type {
  CacheMode,
  RemoteCacheOptions,
  RemoteWarning,
  TaskCacheStatus,
} from "../cache/index.js";
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
    /** A remote cache asked after the local one, and uploaded to. Default: none. */
    readonly remote?: RemoteCacheOptions;
  },
): Promise<RunPart> {
  const { projectDir, mode, io, logDir, remote } = options;
  if (mode === "off" || !graph.tasks.some((task) => task.run.cache !== undefined)) return {};
  const { cachingExecutor, LocalCache, RemoteCache, TaskKeys, TieredCache } =
    await import("../cache/index.js");
  const statuses = new Map<string, TaskCacheStatus>();
  const keys = new TaskKeys(graph, { projectDir, env: io.env });
  const local = new LocalCache(join(projectDir, ".parex", "cache"));
  const store = new TieredCache(local, {
    ...(remote === undefined ? {} : { remote: new RemoteCache(remote) }),
    warn: (warning) => io.stderr(`parex: remote cache: ${remoteWarning(warning)}\n`),
  });
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
    close: async () => {
      // Uploads end before the run does (each bounded by its timeout): CI's next job finds them.
      await store.flush();
      // The size limit, kept after a run with misses (which may have stored); least used go first.
      if (!missed || mode === "read") return;
      await local.clean({ maxBytes: maxCacheBytes }).catch(() => undefined);
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
      ...(cache.source === undefined ? {} : { cacheSource: cache.source }),
    };
  });
  return { ...summary, tasks, cache: { hits, misses, savedMs } };
}

/** A remote cache's problem in words, with what to do about it. */
function remoteWarning(warning: RemoteWarning): string {
  switch (warning.kind) {
    case "refused":
      return `the entry of "${warning.taskId}" was refused: ${warning.problem} (PAREX_REMOTE_CACHE_SIGNATURE_KEY differs from the one it was stored with, or the entry was altered); running it`;
    case "unavailable":
      return warning.reason === "auth"
        ? `${warning.problem}. Check the token (PAREX_REMOTE_CACHE_TOKEN or --token) and that it may read and write this team's cache; the run goes on with the local cache only`
        : `${warning.problem}; the run goes on with the local cache only`;
    default:
      return unreachable(warning);
  }
}
