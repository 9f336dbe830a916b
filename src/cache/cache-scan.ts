import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** One cache entry as found on disk: its artifact and meta, either possibly missing. */
export interface ScannedEntry {
  readonly key: string;
  /** The entry's files, the artifact first, so removing them in order ends hits at once. */
  readonly paths: readonly string[];
  /** Their bytes together. */
  readonly bytes: number;
  /** The artifact's mtime (the meta's when the artifact is missing), in ms since the epoch. */
  readonly lastUsedMs: number;
}

/** A temp file of a write in progress, or left by a runner that died while writing. */
export interface ScannedTemp {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** What a cache directory holds. */
export interface CacheScan {
  readonly entries: readonly ScannedEntry[];
  readonly temps: readonly ScannedTemp[];
}

interface FoundFile {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

const shardName = /^[0-9a-f]{2}$/;
const entryFile = /^([0-9a-f]{16,128})\.(tar\.gz|json)$/;

/**
 * The entries and temp files of the cache in `dir` (nothing when `dir` does not exist). Only
 * the two-hex-digit shard folders are read, and in them only entry and temp files: anything
 * else there is not the cache's, so it is neither counted nor removed.
 */
export async function scanCache(dir: string): Promise<CacheScan> {
  const shards = (await namesIn(dir)).filter((name) => shardName.test(name));
  const found = (await Promise.all(shards.map((shard) => filesIn(join(dir, shard))))).flat();
  const temps = found
    .filter((file) => file.name.endsWith(".tmp"))
    .map(({ path, bytes, mtimeMs }) => ({ path, bytes, mtimeMs }));
  return { entries: groupEntries(found), temps };
}

function groupEntries(found: readonly FoundFile[]): ScannedEntry[] {
  const byKey = new Map<string, { artifact?: FoundFile; meta?: FoundFile }>();
  for (const file of found) {
    const match = entryFile.exec(file.name);
    if (match?.[1] === undefined) continue;
    const files = byKey.get(match[1]) ?? {};
    if (match[2] === "json") files.meta = file;
    else files.artifact = file;
    byKey.set(match[1], files);
  }
  return [...byKey].map(([key, { artifact, meta }]) => {
    const files = [artifact, meta].filter((file) => file !== undefined);
    return {
      key,
      paths: files.map((file) => file.path),
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      lastUsedMs: (artifact ?? meta)?.mtimeMs ?? 0,
    };
  });
}

async function filesIn(shard: string): Promise<FoundFile[]> {
  const found = await Promise.all(
    (await namesIn(shard)).map(async (name) => {
      const path = join(shard, name);
      // Gone since readdir: renamed into place, or removed by another runner's clean.
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isFile() !== true) return undefined;
      return { path, name, bytes: stats.size, mtimeMs: stats.mtimeMs };
    }),
  );
  return found.filter((file) => file !== undefined);
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}
