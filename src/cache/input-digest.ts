import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { gitFileHashes } from "./git-files.js";
import type { GitRunner } from "./run-git.js";
import { walkFileHashes } from "./walk-files.js";

/** Which files of a directory are a task's inputs. */
export interface InputDigestOptions {
  /** The top of the git work tree `dir` is in; undefined outside git (the files are walked). */
  readonly repoRoot: string | undefined;
  /** The package's directory; the globs and the digested paths are relative to it. */
  readonly dir: string;
  /**
   * Globs of the files that count (picomatch, dotfiles included). A glob starting with `!`
   * excludes, as in turbo's `inputs`. Default `["**"]`, which is also what a list of nothing
   * but exclusions starts from.
   */
  readonly include?: readonly string[];
  /** Globs of files that never count, such as the task's outputs (`["dist/**"]`). Default none. */
  readonly exclude?: readonly string[];
}

/** The digest of a task's input files. */
export interface InputDigest {
  /** SHA-256 (hex) of the sorted `<path>\0<blob id>\n` lines of the files that count. */
  readonly digest: string;
  /** How many files count. */
  readonly files: number;
  /** The paths of the files that count, relative to `dir`, sorted. */
  readonly paths: readonly string[];
  /**
   * Where the files were found: `git`, git's index and status (ignored files left out);
   * `walk`, the directory itself, when it is outside git or git is missing.
   */
  readonly source: "git" | "walk";
}

/** Options of {@link InputHasher}. */
export interface InputHasherOptions {
  /** Runs git. Default: the real git, read-only. */
  readonly git?: GitRunner;
}

interface DirFiles {
  readonly hashes: ReadonlyMap<string, string>;
  readonly source: InputDigest["source"];
}

/**
 * Digests tasks' inputs for one run: each directory's files are listed and hashed once, on the
 * first request, however many tasks (build, test, lint) read them, and requests made while that
 * is under way share it. A file edited during the run is not seen again: make a new hasher.
 */
export class InputHasher {
  readonly #git: GitRunner | undefined;
  readonly #dirs = new Map<string, Promise<DirFiles>>();

  /** A hasher with nothing listed yet. */
  constructor(options: InputHasherOptions = {}) {
    this.#git = options.git;
  }

  /** The digest of the files of `options.dir` that `include` and `exclude` select. */
  async digest(options: InputDigestOptions): Promise<InputDigest> {
    const { hashes, source } = await this.#filesOf(options.repoRoot, options.dir);
    const counts = inputFilter(options.include ?? [], options.exclude ?? []);
    const paths = [...hashes.keys()].filter(counts).sort(byCodeUnits);
    // One update of the joined lines: a third of the time of an update per file.
    const lines = paths.map((path) => `${path}\0${hashes.get(path) ?? ""}\n`).join("");
    const digest = createHash("sha256").update(lines).digest("hex");
    return { digest, files: paths.length, paths, source };
  }

  /**
   * The files of `dir`. Inside git, the whole work tree is listed once (four git calls) and
   * each package's files taken from that listing: 25 packages cost one listing, not 25.
   */
  #filesOf(repoRoot: string | undefined, dir: string): Promise<DirFiles> {
    if (repoRoot === undefined) return this.#listed(undefined, dir);
    const root = resolve(repoRoot);
    const rel = relative(root, resolve(dir));
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return this.#listed(root, dir);
    return this.#listed(root, root).then(async (all) =>
      all.source === "git"
        ? below(all, `${rel.split(sep).join("/")}/`)
        : this.#listed(undefined, dir),
    );
  }

  #listed(repoRoot: string | undefined, dir: string): Promise<DirFiles> {
    const key = `${repoRoot ?? ""}\0${resolve(dir)}`;
    let files = this.#dirs.get(key);
    if (files === undefined) {
      files = listDir(repoRoot, dir, this.#git);
      // A failure (an unreadable file) is not kept: the next task tries again.
      files.catch(() => this.#dirs.delete(key));
      this.#dirs.set(key, files);
    }
    return files;
  }
}

/** The files under `prefix` of a listing, with paths relative to it. */
function below(all: DirFiles, prefix: string): DirFiles {
  const hashes = new Map<string, string>();
  for (const [path, hash] of all.hashes) {
    if (path.startsWith(prefix)) hashes.set(path.slice(prefix.length), hash);
  }
  return { hashes, source: all.source };
}

/** The digest of one task's inputs, listed afresh (see {@link InputHasher} to share listings). */
export function inputDigest(options: InputDigestOptions): Promise<InputDigest> {
  return new InputHasher().digest(options);
}

async function listDir(
  repoRoot: string | undefined,
  dir: string,
  git: GitRunner | undefined,
): Promise<DirFiles> {
  if (repoRoot !== undefined) {
    const hashes = await gitFileHashes(repoRoot, dir, git === undefined ? {} : { git });
    if (hashes !== undefined) return { hashes, source: "git" };
  }
  return { hashes: await walkFileHashes(dir), source: "walk" };
}

/** Whether a relative path counts, by turbo's rules for `inputs` plus the excluded globs. */
export function inputFilter(
  include: readonly string[],
  exclude: readonly string[],
): (path: string) => boolean {
  const positive = include.filter((glob) => !glob.startsWith("!")).map(relativeGlob);
  const negative = [
    ...include.filter((glob) => glob.startsWith("!")).map((glob) => relativeGlob(glob.slice(1))),
    ...exclude.map(relativeGlob),
  ];
  const included = matcher(positive.length > 0 ? positive : ["**"]);
  if (negative.length === 0) return included;
  const excluded = matcher(negative);
  return (path) => included(path) && !excluded(path);
}

/**
 * Whether a path matches any of the globs. picomatch's regular expressions are tested
 * directly: its matcher function, which also formats and normalises each path, takes several
 * times as long over 10,000 paths. They are tested as one alternation: a task that reads the
 * files of the packages it depends on (Nx's `^production`) has two globs per package, and
 * testing 49 of them one by one over 10,000 paths took 3 to 5 times as long.
 */
function matcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const sources = globs.map((glob) => `(?:${picomatch.makeRe(glob, globOptions).source})`);
  const regex = new RegExp(sources.join("|"), globOptions.flags);
  return (path) => regex.test(path);
}

/**
 * Dotfiles count. The `s` flag lets `*` and `**` match a newline, which file names may hold:
 * without it `**` leaves `a\nb.txt` out.
 */
const globOptions: picomatch.PicomatchOptions = { dot: true, flags: "s" };

/** Globs are relative to the package: `./src/**` is `src/**`. */
function relativeGlob(glob: string): string {
  return glob.replace(/^(?:\.\/)+/, "");
}

/** Locale-independent order, so a digest is the same on every machine. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
