import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { parallelMap } from "../core/index.js";
import { fileBlobIds } from "./blob-id.js";

/** Options of {@link walkFileHashes}. */
export interface WalkFileHashesOptions {
  /**
   * Leaves an entry out (a directory with all it holds) when it returns true. `relPath` is
   * relative to the walked directory, with `/`. Default: nothing more than the names always
   * skipped.
   */
  readonly ignore?: (relPath: string, isDir: boolean) => boolean;
}

/**
 * Names never walked into: git's own directory, installed packages (inputs by their lockfile,
 * not their files) and parex's state (its cache must not be an input of itself).
 */
const skippedNames = new Set([".git", "node_modules", ".parex"]);
/** Directories listed at once. */
const concurrency = 32;

/**
 * Every file under `dir`, by its path relative to `dir` (with `/`) → its git blob id, for
 * directories outside git: what `gitFileHashes` gives inside, without git's ignore rules.
 * Symbolic links are files (hashed by their target's text), so a linked directory is never
 * walked into; entries named `.git`, `node_modules` or `.parex` are skipped, and so are
 * sockets and FIFOs. A file or directory removed during the walk is left out; a missing
 * `dir` rejects.
 */
export async function walkFileHashes(
  dir: string,
  options: WalkFileHashesOptions = {},
): Promise<Map<string, string>> {
  const files = await listFiles(dir, options.ignore ?? (() => false));
  const ids = await fileBlobIds(files.map((path) => join(dir, path)));
  const hashes = new Map<string, string>();
  files.forEach((path, i) => {
    const id = ids[i];
    if (id !== undefined) hashes.set(path, id);
  });
  return hashes;
}

/** The relative paths of the files and links under `dir`, a level of directories at a time. */
async function listFiles(
  dir: string,
  ignore: (relPath: string, isDir: boolean) => boolean,
): Promise<string[]> {
  const files: string[] = [];
  for (let level = [""]; level.length > 0;) {
    const next: string[] = [];
    await parallelMap(
      level,
      async (relDir) => {
        for (const entry of await entriesOf(join(dir, relDir), relDir === "")) {
          if (skippedNames.has(entry.name)) continue;
          const relPath = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
          const isDir = entry.isDirectory();
          if (ignore(relPath, isDir)) continue;
          if (isDir) next.push(relPath);
          else if (entry.isFile() || entry.isSymbolicLink()) files.push(relPath);
        }
      },
      { concurrency },
    );
    level = next;
  }
  return files;
}

async function entriesOf(path: string, isRoot: boolean): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!isRoot && (code === "ENOENT" || code === "ENOTDIR")) return [];
    throw error;
  }
}
