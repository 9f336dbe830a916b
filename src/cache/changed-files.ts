import { runGit } from "./run-git.js";
import type { GitRunner } from "./run-git.js";

/** Where the base of `--affected` came from. */
export type BaseSource =
  /** `--base REF`. */
  | "--base"
  /** The `PAREX_BASE` variable. */
  | "PAREX_BASE"
  /** `origin/$GITHUB_BASE_REF`, the branch a GitHub pull request goes into. */
  | "GITHUB_BASE_REF"
  /** `main`, else `master`. */
  | "default";

/** Why the changed files could not be listed: data for the caller to word. */
export type ChangedFilesFailure =
  /** `dir` is not in a git work tree (or git is not installed). */
  | { readonly reason: "not-a-repository"; readonly dir: string }
  /** The repository has no commit yet: HEAD does not resolve. */
  | { readonly reason: "no-commit"; readonly dir: string }
  /** The base given does not resolve to a commit here. */
  | { readonly reason: "unknown-base"; readonly ref: string; readonly source: BaseSource }
  /** No base was given and neither main nor master exists. */
  | { readonly reason: "no-default-base"; readonly tried: readonly string[] }
  /** The base and HEAD share no history (or a shallow clone lacks it). */
  | { readonly reason: "no-merge-base"; readonly ref: string };

/** The files changed since a base: committed since the merge base, uncommitted, untracked. */
export interface ChangedFiles {
  readonly ok: true;
  /** The ref compared with, as given or chosen. */
  readonly base: string;
  readonly source: BaseSource;
  readonly repoRoot: string;
  /** Paths relative to `repoRoot` (with `/`), each once, sorted; deleted files included. */
  readonly files: readonly string[];
}

/** Options of {@link changedFiles}. */
export interface ChangedFilesOptions {
  /** `--base`: undefined to choose one from `env`, then main, then master. */
  readonly base: string | undefined;
  /** Where `PAREX_BASE` and `GITHUB_BASE_REF` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs git. Default: the real git, read-only. */
  readonly git?: GitRunner;
}

/**
 * The files changed since `base` in the repository `dir` is in, as `git diff BASE...HEAD`
 * (from their merge base), plus what is changed in the index or the work tree and untracked
 * files git does not ignore. Renames count as a deletion and an addition.
 */
export async function changedFiles(
  dir: string,
  options: ChangedFilesOptions,
): Promise<ChangedFiles | (ChangedFilesFailure & { readonly ok: false })> {
  const git = options.git ?? runGit;
  const text = async (args: readonly string[], cwd: string): Promise<string | undefined> =>
    (await git(args, cwd))?.toString("utf8");
  const top = (await text(["rev-parse", "--show-toplevel"], dir))?.split("\n", 1)[0];
  if (top === undefined || top === "") return { ok: false, reason: "not-a-repository", dir };
  if ((await text(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)) === undefined)
    return { ok: false, reason: "no-commit", dir: top };
  const resolves = async (ref: string): Promise<boolean> =>
    (await text(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top)) !== undefined;
  const chosen = await chooseBase(options, resolves);
  if ("reason" in chosen) return { ok: false, ...chosen };
  const mergeBase = (await text(["merge-base", chosen.ref, "HEAD"], top))?.trim();
  if (mergeBase === undefined || mergeBase === "")
    return { ok: false, reason: "no-merge-base", ref: chosen.ref };
  const listings = await Promise.all([
    git(["diff", "--name-only", "--no-renames", "-z", mergeBase, "HEAD", "--"], top),
    git(["diff", "--name-only", "--no-renames", "-z", "HEAD", "--"], top),
    git(["ls-files", "--others", "--exclude-standard", "-z", "--", "."], top),
  ]);
  const files = new Set<string>();
  for (const listing of listings) {
    for (const path of listing?.toString("utf8").split("\0") ?? []) {
      if (path !== "") files.add(path);
    }
  }
  return {
    ok: true,
    base: chosen.ref,
    source: chosen.source,
    repoRoot: top,
    files: [...files].sort(),
  };
}

/** `--base`, else `PAREX_BASE`, else `origin/$GITHUB_BASE_REF` if it resolves, else main, master. */
async function chooseBase(
  options: ChangedFilesOptions,
  resolves: (ref: string) => Promise<boolean>,
): Promise<{ ref: string; source: BaseSource } | ChangedFilesFailure> {
  const given =
    options.base !== undefined
      ? { ref: options.base, source: "--base" as const }
      : nonEmpty(options.env["PAREX_BASE"]) !== undefined
        ? { ref: options.env["PAREX_BASE"] ?? "", source: "PAREX_BASE" as const }
        : undefined;
  if (given !== undefined)
    return (await resolves(given.ref)) ? given : { reason: "unknown-base", ...given };
  const pullRequestBase = nonEmpty(options.env["GITHUB_BASE_REF"]);
  if (pullRequestBase !== undefined && (await resolves(`origin/${pullRequestBase}`)))
    return { ref: `origin/${pullRequestBase}`, source: "GITHUB_BASE_REF" };
  const tried = ["main", "master"];
  for (const ref of tried) if (await resolves(ref)) return { ref, source: "default" };
  return {
    reason: "no-default-base",
    tried: pullRequestBase === undefined ? tried : [`origin/${pullRequestBase}`, ...tried],
  };
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value;

/**
 * The paths among `paths` (absolute, in the work tree `repoRoot`) that git ignores; none when
 * git cannot tell (then a watcher re-runs rather than misses a change).
 */
export async function ignoredPaths(
  repoRoot: string,
  paths: readonly string[],
  git: GitRunner = runGit,
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  // Exit code 1 (nothing ignored) comes back as undefined, like a failure: both mean none. A
  // path git quotes (it holds a newline) is not recognised: it counts as not ignored.
  const output = await git(["check-ignore", "--", ...paths], repoRoot);
  return new Set(
    output
      ?.toString("utf8")
      .split("\n")
      .filter((path) => path !== "") ?? [],
  );
}
