import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeValue, expectInteger } from "../core/index.js";
import { scanCache } from "./cache-scan.js";
import type { ScannedEntry } from "./cache-scan.js";

/** What is kept beside an artifact, as JSON. */
export interface CacheMeta {
  /** The task whose outputs the artifact holds. */
  readonly taskId: string;
  /** How long the task ran, in ms: the time a hit saves. */
  readonly durationMs: number;
  /** When the entry was made, in ms since the epoch. */
  readonly createdAt: number;
}

/** Options of {@link LocalCache.clean}; with neither limit, only stray temp files go. */
export interface CleanOptions {
  /** Removes entries last used more than this many ms before `now`. Default: no age limit. */
  readonly olderThanMs?: number;
  /** Then removes the least recently used entries until the cache holds at most this. Default: no size limit. */
  readonly maxBytes?: number;
  /** The current time, in ms since the epoch. Default `Date.now()`. */
  readonly now?: number;
}

/** What {@link LocalCache.clean} did. */
export interface CleanResult {
  /** Entries removed (an artifact and its meta count as one). */
  readonly removed: number;
  /** Bytes removed, stray temp files included. */
  readonly freedBytes: number;
  /** Bytes the cache holds afterwards. */
  readonly keptBytes: number;
}

const validKey = /^[0-9a-f]{16,128}$/;

/** A temp file older than this was left by a runner that died while writing it. */
const strayTempMs = 60 * 60 * 1000;

/**
 * Task artifacts by cache key in a directory of its own (`<project>/.parex/cache`): the
 * artifact at `<dir>/<key[0..2]>/<key>.tar.gz`, its meta beside it as `<key>.json`. Every file
 * appears whole or not at all: it is written to a temp file in the same directory, then renamed
 * into place, so runners sharing the directory never see half an entry. An entry's last use is
 * its artifact's mtime, set on every hit (atime is not kept on noatime or relatime mounts).
 */
export class LocalCache {
  readonly #dir: string;

  /** A cache in `dir`; nothing is touched until the first call. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The artifact stored under `key`, or undefined on a miss; a hit marks the entry as used now. */
  async get(key: string): Promise<Buffer | undefined> {
    const path = this.#path(key, "tar.gz");
    const bytes = await readOrUndefined(path);
    if (bytes === undefined) return undefined;
    const now = new Date();
    // A cache that cannot be touched (read-only, or cleaned meanwhile) still gives its hit.
    await utimes(path, now, now).catch(() => undefined);
    return bytes;
  }

  /**
   * Whether an artifact is stored under `key`, read without using it: a look that restores
   * nothing (`parex run --dry`) does not make the entry recently used.
   */
  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.#path(key, "tar.gz"))).isFile();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return false;
      throw error;
    }
  }

  /**
   * Stores `artifact` and `meta` under `key`, replacing what was there. Two runners putting one
   * key at once leave one whole artifact. Rejects with the file system's error (a full or
   * read-only disk) and leaves no temp file behind.
   */
  async put(key: string, artifact: Buffer, meta: CacheMeta): Promise<void> {
    const path = this.#path(key, "tar.gz");
    await mkdir(join(this.#dir, key.slice(0, 2)), { recursive: true });
    // The artifact goes first: an artifact without meta is still a hit, meta alone is a lie.
    await writeAtomically(path, artifact);
    await writeAtomically(this.#path(key, "json"), JSON.stringify(meta));
  }

  /** The meta stored under `key`, or undefined when there is none or it is damaged. */
  async meta(key: string): Promise<CacheMeta | undefined> {
    const bytes = await readOrUndefined(this.#path(key, "json"));
    if (bytes === undefined) return undefined;
    try {
      const meta: unknown = JSON.parse(bytes.toString("utf8"));
      return isCacheMeta(meta) ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Removes entries last used more than `olderThanMs` ago, then the least recently used ones
   * until the cache holds at most `maxBytes`, and temp files left for over an hour by runners
   * that died while writing.
   */
  async clean(options: CleanOptions = {}): Promise<CleanResult> {
    const { olderThanMs, maxBytes, now = Date.now() } = options;
    if (olderThanMs !== undefined) expectInteger("olderThanMs", olderThanMs, { min: 0 });
    if (maxBytes !== undefined) expectInteger("maxBytes", maxBytes, { min: 0 });
    expectInteger("now", now, { min: 0 });
    const { entries, temps } = await scanCache(this.#dir);
    let freedBytes = 0;
    let keptBytes = 0;
    for (const temp of temps) {
      if (now - temp.mtimeMs <= strayTempMs) {
        keptBytes += temp.bytes;
      } else {
        await rm(temp.path, { force: true });
        freedBytes += temp.bytes;
      }
    }
    keptBytes += entries.reduce((sum, entry) => sum + entry.bytes, 0);
    let removedEntries = 0;
    // Oldest first: past the first entry neither too old nor over the limit, all are kept.
    for (const entry of [...entries].sort(byLastUse)) {
      const tooOld = olderThanMs !== undefined && now - entry.lastUsedMs > olderThanMs;
      const overLimit = maxBytes !== undefined && keptBytes > maxBytes;
      if (!tooOld && !overLimit) break;
      for (const path of entry.paths) await rm(path, { force: true });
      removedEntries += 1;
      keptBytes -= entry.bytes;
      freedBytes += entry.bytes;
    }
    return { removed: removedEntries, freedBytes, keptBytes };
  }

  /** The bytes the cache holds: artifacts, meta and temp files. */
  async size(): Promise<number> {
    const { entries, temps } = await scanCache(this.#dir);
    return [...entries, ...temps].reduce((sum, file) => sum + file.bytes, 0);
  }

  #path(key: string, extension: "tar.gz" | "json"): string {
    if (typeof key !== "string" || !validKey.test(key)) {
      throw new TypeError(
        `Expected \`key\` to be 16 to 128 lowercase hex digits, got ${describeValue(key)}`,
      );
    }
    return join(this.#dir, key.slice(0, 2), `${key}.${extension}`);
  }
}

/** Writes `data` to a temp file beside `path`, then renames it into place; no temp file stays. */
async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, data, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function byLastUse(a: ScannedEntry, b: ScannedEntry): number {
  return a.lastUsedMs - b.lastUsedMs || (a.key < b.key ? -1 : 1);
}

function isCacheMeta(value: unknown): value is CacheMeta {
  if (typeof value !== "object" || value === null) return false;
  const meta = value as Record<string, unknown>;
  return (
    typeof meta.taskId === "string" &&
    typeof meta.durationMs === "number" &&
    typeof meta.createdAt === "number"
  );
}
