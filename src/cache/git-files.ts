import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { parallelMap } from "../core/index.js";
import { fileBlobIds } from "./blob-id.js";
import { startListing, takeListing } from "./early-listing.js";
import { runGit, runGitBatch } from "./run-git.js";
import type { GitRunner } from "./run-git.js";

/** Options of {@link gitFileHashes}. */
export interface GitFileHashesOptions {
  /** Runs git, one command at a time. Default: the real git, its listings from one process. */
  readonly git?: GitRunner;
}

/** Submodules whose checked-out commit is asked of git at once. */
const readConcurrency = 32;
/**
 * Every file under `dir` that git tracks, or that is untracked and not ignored, by its path
 * relative to `dir` (with `/`) → its blob id. A tracked file that git's index says is unchanged
 * is not read: its id comes from the index. Files changed since, untracked ones and unmerged
 * ones are hashed here the way git would ({@link fileBlobId}), so one content has one id
 * either way. Deleted files are left out; a symbolic link is its target's text; a submodule is
 * the commit it has checked out. Nested repositories git does not track are left out, as git
 * leaves them.
 *
 * Undefined, for the caller to walk the directory instead, when `repoRoot` is not the top of
 * the git work tree `dir` is in (not a repository; `dir` in a submodule or a nested repository)
 * or git is missing. Never writes to the repository.
 */
export async function gitFileHashes(
  repoRoot: string,
  dir: string,
  options: GitFileHashesOptions = {},
): Promise<Map<string, string> | undefined> {
  const git = options.git ?? runGit;
  const batch =
    options.git === undefined
      ? runGitBatch
      : (commands: readonly (readonly string[])[], cwd: string) =>
          Promise.all(commands.map((args) => git(args, cwd)));
  const early = options.git === undefined ? takeListing<Buffer[]>(dir) : undefined;
  const listing = await listFiles(early === undefined ? batch : () => early, repoRoot, dir);
  if (listing === undefined) return undefined;
  const hashes = new Map<string, string>();
  const toHash = new Set(paths(listing.others).filter((path) => !path.endsWith("/")));
  const submodules = new Set<string>();
  for (const entry of indexEntries(listing.staged)) {
    if (entry.stage === "0") hashes.set(entry.path, entry.id);
    else toHash.add(entry.path);
    if (entry.mode === gitlinkMode) submodules.add(entry.path);
  }
  for (const path of paths(listing.changed)) toHash.add(path);
  const files = [...toHash].filter((path) => !submodules.has(path));
  const checkouts = [...toHash].filter((path) => submodules.has(path));
  const [fileIds, checkoutIds] = await Promise.all([
    fileBlobIds(files.map((path) => join(dir, path))),
    parallelMap(checkouts, (path) => checkedOutCommit(git, join(dir, path)), {
      concurrency: readConcurrency,
    }),
  ]);
  const fresh = [...files, ...checkouts];
  [...fileIds, ...checkoutIds].forEach((id, i) => {
    const path = fresh[i] ?? "";
    if (id === undefined) hashes.delete(path);
    else hashes.set(path, id);
  });
  return hashes;
}

interface Listing {
  /** `ls-files --stage`: the index's entries. */
  readonly staged: Buffer;
  /** `ls-files --others`: untracked files not ignored. */
  readonly others: Buffer;
  /** `diff-files`: tracked files whose stat data (or content) differs from the index. */
  readonly changed: Buffer;
}

/** The four listings {@link listFiles} reads, run in `dir`. */
const listings: readonly (readonly string[])[] = [
  ["rev-parse", "--show-toplevel"],
  ["ls-files", "--stage", "-z", "--", "."],
  ["ls-files", "--others", "--exclude-standard", "-z", "--", "."],
  ["diff-files", "--name-only", "--relative", "--ignore-submodules=dirty", "-z", "--", "."],
];

/**
 * Starts git listing `dir` now, in the background, for the first {@link gitFileHashes} of `dir`
 * to take instead of listing it then (early-listing.ts says why). Resolves when git is done.
 */
export function listGitFilesEarly(dir: string): Promise<unknown> {
  return startListing(dir, (at) => runGitBatch(listings, at));
}

/** Git's listings of `dir`, all paths relative to it; undefined when git cannot be used there. */
async function listFiles(
  git: (commands: readonly (readonly string[])[], cwd: string) => Promise<(Buffer | undefined)[]>,
  repoRoot: string,
  dir: string,
): Promise<Listing | undefined> {
  const [top, staged, others, changed] = await git(listings, dir);
  if (top === undefined || staged === undefined || others === undefined) return undefined;
  if (changed === undefined || !(await isSameDir(firstLine(top), repoRoot))) return undefined;
  return { staged, others, changed };
}

const gitlinkMode = "160000";

interface IndexEntry {
  readonly mode: string;
  readonly id: string;
  readonly stage: string;
  readonly path: string;
}

/** Records of `git ls-files --stage -z`: `<mode> <id> <stage>\t<path>\0` (the path may hold tabs). */
function indexEntries(output: Buffer): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const record of paths(output)) {
    const idStart = record.indexOf(" ") + 1;
    const stageStart = record.indexOf(" ", idStart) + 1;
    const tab = record.indexOf("\t", stageStart);
    if (idStart === 0 || stageStart === 0 || tab < 0) continue;
    entries.push({
      mode: record.slice(0, idStart - 1),
      id: record.slice(idStart, stageStart - 1),
      stage: record.slice(stageStart, tab),
      path: record.slice(tab + 1),
    });
  }
  return entries;
}

/** The NUL-terminated records of a `-z` listing. */
function paths(output: Buffer): string[] {
  const records = output.toString("utf8").split("\0");
  records.pop();
  return records;
}

/**
 * The commit a changed submodule has checked out; undefined when it is gone. (In a directory
 * that is not the submodule's own work tree, HEAD would be the superproject's.)
 */
async function checkedOutCommit(git: GitRunner, path: string): Promise<string | undefined> {
  const output = await git(["rev-parse", "--show-toplevel", "HEAD"], path);
  const [top, head] = output?.toString("utf8").split("\n") ?? [];
  if (top === undefined || head === undefined || !(await isSameDir(top, path))) return undefined;
  return head;
}

function firstLine(output: Buffer): string {
  return output.toString("utf8").split("\n", 1)[0] ?? "";
}

async function isSameDir(a: string, b: string): Promise<boolean> {
  try {
    const [realA, realB] = await Promise.all([realpath(a), realpath(b)]);
    return realA === realB;
  } catch {
    return false;
  }
}
