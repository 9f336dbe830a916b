import type { Stats } from "node:fs";
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readlink,
  realpath,
  rmdir,
  stat,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { refusal } from "./entry-paths.js";
import type { ArtifactEntry } from "./tar-codec.js";

/**
 * Writes `entries` (paths already checked by `checkEntryPaths`) under `root`, in order, and
 * returns how many it wrote (an entry already in place as it is, is not written): files
 * with their bytes and mode, symlinks with their target text as it is. Whatever is in an entry's
 * place goes first (a read-only file, a symlink, an empty directory), so nothing is written
 * through a symlink there. Missing directories are made; a file in the place of a directory is
 * removed. A directory reached through a symlink is used only when the symlink resolves to a
 * directory inside `root`; otherwise the entry is refused, naming the symlink.
 */
export async function writeEntries(
  root: string,
  entries: readonly ArtifactEntry[],
): Promise<number> {
  const directories = new Directories(root, await realpath(root));
  let written = 0;
  for (const entry of entries) {
    const parent = dirname(entry.path);
    if (parent !== ".") await directories.ensure(parent, entry.path);
    const target = join(root, entry.path);
    const found = await lstatOrUndefined(target);
    // What is already there as the entry has it stays untouched: its mtime too, and a restore
    // that changes nothing lets the run skip listing the files again.
    if (found !== undefined && (await holds(target, found, entry))) continue;
    written += 1;
    await clear(target, found);
    if (entry.type === "symlink") {
      await symlink(entry.target, target);
    } else {
      await writeFile(target, entry.data, { flag: "wx", mode: entry.mode });
      // The process umask narrowed the mode given to open().
      await chmod(target, entry.mode);
    }
  }
  return written;
}

/** Whether `path` (found by lstat, never followed) is already exactly `entry`. */
async function holds(path: string, found: Stats, entry: ArtifactEntry): Promise<boolean> {
  if (entry.type === "symlink") {
    return found.isSymbolicLink() && (await readlink(path)) === entry.target;
  }
  if (!found.isFile() || found.size !== entry.data.length || (found.mode & 0o777) !== entry.mode) {
    return false;
  }
  return (await readFile(path)).equals(entry.data);
}

/** The directories of one restore, each checked (or made) once. */
class Directories {
  readonly #root: string;
  readonly #realRoot: string;
  readonly #ready = new Set<string>();

  constructor(root: string, realRoot: string) {
    this.#root = root;
    this.#realRoot = realRoot;
  }

  /** Makes sure the relative directory `dir` exists as a directory inside root, for `entry`. */
  async ensure(dir: string, entry: string): Promise<void> {
    let path = "";
    for (const segment of dir.split("/")) {
      path = path === "" ? segment : `${path}/${segment}`;
      if (this.#ready.has(path)) continue;
      await this.#ensureOne(path, entry);
      this.#ready.add(path);
    }
  }

  async #ensureOne(path: string, entry: string): Promise<void> {
    const absolute = join(this.#root, path);
    const found = await lstatOrUndefined(absolute);
    if (found?.isDirectory()) return;
    if (found?.isSymbolicLink()) {
      if (await this.#leadsToDirectoryInside(absolute)) return;
      throw refusal(
        entry,
        `it would be written through the symlink "${path}", which does not lead to a directory inside ${this.#root}`,
      );
    }
    if (found !== undefined) await unlink(absolute);
    await mkdir(absolute);
  }

  async #leadsToDirectoryInside(link: string): Promise<boolean> {
    try {
      const real = await realpath(link);
      const path = relative(this.#realRoot, real);
      const inside = path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
      return inside && (await stat(real)).isDirectory();
    } catch {
      return false;
    }
  }
}

/** Removes what is at `path` (as lstat `found` it), a directory only when it is empty. */
async function clear(path: string, found: Stats | undefined): Promise<void> {
  if (found === undefined) return;
  if (found.isDirectory()) await rmdir(path);
  else await unlink(path);
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
