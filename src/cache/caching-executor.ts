import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { AttemptContext, AttemptResult, Command, Executor } from "../core/index.js";
import { packArtifact, unpackArtifact } from "./artifact.js";
import type { CacheSource, CacheStore } from "./tiered-cache.js";
import { matchOutputs } from "./output-files.js";
import type { TaskKeys } from "./task-keys.js";

/** What the cache may do: look up and store (the default), only one of them, or nothing. */
export type CacheMode = "read-write" | "read" | "write" | "off";

/** How the cache treated one task. */
export interface TaskCacheStatus {
  /** `hit`: restored, not run; `miss`: run (and stored, unless `note` says why not); `off`: not cached. */
  readonly status: "hit" | "miss" | "off";
  readonly key?: string;
  /** For a hit: how long the task took when it ran and was stored, in ms. */
  readonly savedMs?: number;
  /** For a hit: whether it came from the local or the remote cache. */
  readonly source?: CacheSource;
  /** Why a miss was not stored, in words. */
  readonly note?: string;
}

/** Options of {@link cachingExecutor}. */
export interface CachingOptions {
  readonly keys: TaskKeys;
  /** Where entries are looked up and stored: the local cache, then the remote one if any. */
  readonly store: CacheStore;
  readonly mode: CacheMode;
  /** Told how each task was treated, once per task. */
  readonly record: (taskId: string, status: TaskCacheStatus) => void;
  /** A problem with the cache itself (unwritable, full, damaged): the run goes on without it. */
  readonly warn: (message: string) => void;
  /** The most a task's outputs may hold (their files' bytes) to be stored. Default: 1 GiB. */
  readonly maxOutputBytes?: number;
  /** Keeps a hit's replayed output as the attempt's log, as a run would have. Default: not kept. */
  readonly keepLog?: (
    context: AttemptContext,
    chunks: readonly (readonly ["stdout" | "stderr", string])[],
  ) => Promise<void>;
}

/** Output kept to replay a task, at most: a task printing more is run every time. */
const maxLog = 64 * 1024 * 1024;

/**
 * The outputs stored for a task, at most, in bytes: an entry is packed in memory, and one
 * larger than this would push every other entry out of the cache's size limit.
 */
export const defaultMaxOutputBytes = 1024 * 1024 * 1024;

/**
 * Wraps an executor with the task cache: a task whose key was stored before is not run, its
 * outputs are restored and its output replayed; a task that runs and succeeds is stored. Only
 * a first attempt is looked up; only a success is stored, never a failure, a timeout or a
 * cancelled run.
 */
export function cachingExecutor(
  inner: Executor<Command>,
  options: CachingOptions,
): Executor<Command> {
  return {
    async execute(action, context) {
      const { keys, mode, record } = options;
      const ran = (result: AttemptResult, filesChanged = true): AttemptResult => {
        if (filesChanged) keys.filesChanged();
        keys.attemptEnded(context.taskId, result.ok);
        return result;
      };
      // A fallback stands in for a task that failed: never looked up nor stored under the
      // task's key, and its dependents' keys say a fallback ran (TaskKeys.attemptEnded).
      if (keys.isFallback(context.taskId, action)) {
        const result = await inner.execute(action, context);
        keys.filesChanged();
        keys.attemptEnded(context.taskId, false);
        return result;
      }
      const cached = action.cache !== undefined && mode !== "off";
      if (!cached) {
        if (keys.neededBeforeRun(context.taskId))
          await keys.of(context.taskId).catch(() => undefined);
        if (context.attempt === 1) record(context.taskId, { status: "off" });
        return ran(await inner.execute(action, context));
      }
      let key: string;
      try {
        key = (await keys.of(context.taskId)).key;
      } catch (error) {
        options.warn(
          `the key of "${context.taskId}" could not be taken (${message(error)}); running it uncached`,
        );
        record(context.taskId, { status: "off" });
        return ran(await inner.execute(action, context));
      }
      if (context.attempt === 1 && mode !== "write") {
        const hit = await restore(action, context, key, options);
        if (hit !== undefined) {
          const { changed, ...saved } = hit;
          record(context.taskId, { status: "hit", key, ...saved });
          // A restore that found every output in place changed no file: keys taken next
          // need not list the files again.
          return ran({ ok: true, exitCode: 0, cached: true }, changed);
        }
      }
      const log: [string, string][] = [];
      let size = 0;
      const started = Date.now();
      // Every member spelled out: a context may be a class instance whose methods a spread loses.
      const result = await inner.execute(action, {
        taskId: context.taskId,
        attempt: context.attempt,
        signal: context.signal,
        results: context.results,
        output(stream, chunk) {
          size += chunk.length;
          if (size <= maxLog) log.push([stream === "stderr" ? "e" : "o", chunk]);
          context.output(stream, chunk);
        },
        ready: () => context.ready(),
        process: (pid) => context.process(pid),
        worker: (id) => context.worker?.(id),
      });
      const durationMs = Date.now() - started;
      const note = await store(action, context, { key, result, log, size, durationMs }, options);
      record(context.taskId, { status: "miss", key, ...(note === undefined ? {} : { note }) });
      return ran(result);
    },
  };
}

/** Restores the entry of `key` and replays its output; undefined on a miss. */
async function restore(
  action: Command,
  context: AttemptContext,
  key: string,
  { store, warn, keepLog }: CachingOptions,
): Promise<{ savedMs?: number; source: CacheSource; changed: boolean } | undefined> {
  try {
    const found = await store.get(key, context.taskId);
    if (found === undefined) return undefined;
    const root = action.cwd ?? process.cwd();
    const { log, changed } = await unpackArtifact(
      found.artifact,
      root,
      action.cache?.outputs ?? [],
    );
    const chunks = log
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [stream, chunk] = JSON.parse(line) as [string, string];
        return [stream === "e" ? "stderr" : "stdout", chunk] as const;
      });
    for (const [stream, chunk] of chunks) context.output(stream, chunk);
    await keepLog?.(context, chunks);
    const { source, durationMs } = found;
    return durationMs === undefined
      ? { source, changed }
      : { source, savedMs: durationMs, changed };
  } catch (error) {
    warn(
      `the cache entry of "${context.taskId}" could not be restored (${message(error)}); running it`,
    );
    return undefined;
  }
}

/** Stores a successful run; returns why it was not stored, if it was not. */
async function store(
  action: Command,
  context: AttemptContext,
  ran: {
    key: string;
    result: AttemptResult;
    log: readonly [string, string][];
    size: number;
    durationMs: number;
  },
  { keys, store: cache, mode, warn, maxOutputBytes = defaultMaxOutputBytes }: CachingOptions,
): Promise<string | undefined> {
  if (!ran.result.ok || context.signal.aborted || mode === "read") return undefined;
  if (ran.size > maxLog) return `its output is over ${mib(maxLog)}: not stored`;
  if (await keys.inputsChanged(context.taskId)) {
    return "it changed its own inputs while it ran: not stored (add what it writes to outputs)";
  }
  try {
    const root = action.cwd ?? process.cwd();
    const files = await matchOutputs(root, action.cache?.outputs ?? []);
    if ((await bytesOf(root, files)) > maxOutputBytes) {
      return `its outputs hold over ${mib(maxOutputBytes)}: not stored`;
    }
    const log = ran.log.map((entry) => `${JSON.stringify(entry)}\n`).join("");
    const artifact = await packArtifact({ root, files, log });
    // Stopped meanwhile (a timeout, Ctrl-C): what it wrote may be half done.
    if (aborted(context.signal)) return undefined;
    await cache.put(ran.key, artifact, {
      taskId: context.taskId,
      durationMs: ran.durationMs,
      createdAt: Date.now(),
    });
    return undefined;
  } catch (error) {
    warn(`"${context.taskId}" could not be stored in the cache (${message(error)})`);
    return undefined;
  }
}

/** The bytes of `files` under `root` (a symlink counts as itself, not its target). */
async function bytesOf(root: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await lstat(join(root, file))).size;
  return total;
}

const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Read through a call: a check before an await does not hold after it. */
const aborted = (signal: AbortSignal): boolean => signal.aborted;
