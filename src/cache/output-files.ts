import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import picomatch from "picomatch";

/** Directories never walked unless a glob names them as one of its segments. */
const skippedDirs: ReadonlySet<string> = new Set([".git", "node_modules", ".parex"]);

/** What the walk needs to know about a list of output globs. */
interface OutputPlan {
  /** True for a path some include glob matches and no `!` glob excludes. */
  readonly isOutput: (path: string) => boolean;
  /** The static prefix of each include glob (`dist` for `dist/**`; `""` for `**\/*.js`). */
  readonly bases: readonly string[];
  /** The skipped directory names some include glob names explicitly. */
  readonly namedSkips: ReadonlySet<string>;
}

/**
 * The files and symlinks under `root` that match any of `globs` (picomatch, `dot: true`), as
 * sorted relative POSIX paths. A glob starting with `!` excludes what it matches, as in turbo's
 * outputs: `["dist/**", "!dist/**\/*.map"]`. Symlinked directories are entries, never followed;
 * empty directories are not entries; `.git`, `node_modules` and `.parex` (the cache itself) are skipped unless a glob names
 * them (`node_modules/.cache/**`). Only directories that a glob could match below are read, so
 * `dist/**` reads `dist` and not the whole package.
 */
export async function matchOutputs(root: string, globs: readonly string[]): Promise<string[]> {
  const plan = planOutputs(globs);
  if (plan.bases.length === 0) return [];
  const found: string[] = [];
  await walk(root, "", plan, found);
  return found.sort();
}

function planOutputs(globs: readonly string[]): OutputPlan {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const glob of globs) {
    if (glob.startsWith("!")) exclude.push(withoutDotSlash(glob.slice(1)));
    else include.push(withoutDotSlash(glob));
  }
  const options = { dot: true };
  const included = picomatch(include, options);
  const excluded = exclude.length > 0 ? picomatch(exclude, options) : () => false;
  return {
    isOutput: (path) => included(path) && !excluded(path),
    bases: include.map((glob) => picomatch.scan(glob).base),
    namedSkips: new Set(
      include.flatMap((glob) => glob.split("/")).filter((s) => skippedDirs.has(s)),
    ),
  };
}

function withoutDotSlash(glob: string): string {
  return glob.replace(/^(\.\/)+/, "");
}

async function walk(root: string, dir: string, plan: OutputPlan, found: string[]): Promise<void> {
  const entries = await readEntries(join(root, dir), dir === "");
  const below: Promise<void>[] = [];
  for (const entry of entries) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (mayHoldOutputs(path, entry.name, plan)) below.push(walk(root, path, plan, found));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && plan.isOutput(path)) {
      found.push(path);
    }
  }
  await Promise.all(below);
}

/** A directory removed while it is walked (a build still cleaning up) holds nothing. */
async function readEntries(path: string, isRoot: boolean): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if (!isRoot && (error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** A directory is read when it lies on the way to a glob's base, or inside one. */
function mayHoldOutputs(dir: string, name: string, plan: OutputPlan): boolean {
  if (skippedDirs.has(name) && !plan.namedSkips.has(name)) return false;
  return plan.bases.some(
    (base) =>
      base === "" || base === dir || base.startsWith(`${dir}/`) || dir.startsWith(`${base}/`),
  );
}
