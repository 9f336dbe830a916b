import { lstat, readFile, readlink, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { parallelMap } from "../core/index.js";
import { checkEntryPaths, pathProblem, refusal } from "./entry-paths.js";
import { matchOutputs } from "./output-files.js";
import { decodeTar, encodeTar } from "./tar-codec.js";
import type { ArtifactEntry } from "./tar-codec.js";
import { writeEntries } from "./write-entries.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The reserved folder of an artifact: no output may live in it. */
const reservedDir = ".parex-cache/";

/** The artifact entry holding the task's replayable log. */
export const logEntryPath = `${reservedDir}log.jsonl`;

/** Files read at once while packing: enough to keep the disk busy, far from any fd limit. */
const readConcurrency = 16;

/** What {@link packArtifact} packs. */
export interface PackInput {
  /** The directory `files` are relative to (the task's package). */
  readonly root: string;
  /** Files and symlinks under root, as relative POSIX paths (as `matchOutputs` lists them). */
  readonly files: readonly string[];
  /** The task's output, serialised by the caller; stored as the entry `.parex-cache/log.jsonl`. */
  readonly log: string;
}

/** What {@link unpackArtifact} restored. */
export interface Unpacked {
  /** The log given to {@link packArtifact}. */
  readonly log: string;
  /** The files and symlinks restored, as relative POSIX paths in archive (sorted) order. */
  readonly files: readonly string[];
  /** Whether the restore changed anything under root (wrote an entry, deleted a stale file). */
  readonly changed: boolean;
}

/**
 * A task's outputs and log as one gzip-compressed tar: files with their bytes and mode,
 * symlinks as symlinks with their target text unchanged, then the log. Portable and
 * reproducible: entries sorted, no owner, no times, modes without group or other write (which
 * differ only by umask), so equal outputs give equal bytes wherever the same zlib compresses
 * them. The log comes last, so an archive that ends early lacks it and is refused on restore.
 */
export async function packArtifact({ root, files, log }: PackInput): Promise<Buffer> {
  const paths = [...new Set(files)].sort();
  const outputs = await parallelMap(paths, (path) => readOutput(root, path), {
    concurrency: readConcurrency,
  });
  const logEntry: ArtifactEntry = {
    type: "file",
    path: logEntryPath,
    mode: 0o644,
    data: Buffer.from(log),
  };
  return gzipAsync(encodeTar([...outputs, logEntry]));
}

async function readOutput(root: string, path: string): Promise<ArtifactEntry> {
  const problem =
    pathProblem(path) ?? (path.startsWith(reservedDir) ? "it is reserved" : undefined);
  if (problem !== undefined) {
    throw new Error(`Cannot pack output "${path}": ${problem}. List paths as matchOutputs does.`);
  }
  const absolute = join(root, path);
  const stats = await lstat(absolute);
  if (stats.isSymbolicLink()) return { type: "symlink", path, target: await readlink(absolute) };
  if (!stats.isFile()) {
    throw new Error(`Cannot pack output "${path}": it is not a file or a symlink.`);
  }
  return { type: "file", path, mode: stats.mode & 0o755, data: await readFile(absolute) };
}

/**
 * Restores an artifact under `root`, byte for byte: files with their modes, symlinks as
 * symlinks; then deletes stale outputs, the files under root matching `globs` (as
 * `matchOutputs` reads them) that the artifact does not hold. Refuses, before writing anything,
 * an artifact with an entry whose path is absolute or contains `..`, and, while writing, an entry
 * that would be written through a symlink leading outside root; the error names the entry.
 */
export async function unpackArtifact(
  bytes: Buffer,
  root: string,
  globs: readonly string[],
): Promise<Unpacked> {
  const entries = await decodeTar(await gunzipAsync(bytes));
  const { log, outputs } = splitLog(entries);
  checkEntryPaths(outputs);
  const written = await writeEntries(root, outputs);
  const files = outputs.map((entry) => entry.path);
  const restored = new Set(files);
  const stale = (await matchOutputs(root, globs)).filter((path) => !restored.has(path));
  await Promise.all(stale.map((path) => rm(join(root, path), { force: true })));
  return { log, files, changed: written > 0 || stale.length > 0 };
}

function splitLog(entries: readonly ArtifactEntry[]): { log: string; outputs: ArtifactEntry[] } {
  const last = entries.at(-1);
  if (last?.path !== logEntryPath || last.type !== "file") {
    throw new Error(
      `Cache artifact has no ${logEntryPath} at its end: it was cut short, or was not made by parex. Delete it from the cache.`,
    );
  }
  const outputs = entries.slice(0, -1);
  const reserved = outputs.find((entry) => entry.path.startsWith(reservedDir));
  if (reserved !== undefined) throw refusal(reserved.path, "its path is reserved for parex");
  return { log: last.data.toString("utf8"), outputs };
}
