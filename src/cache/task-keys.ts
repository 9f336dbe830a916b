import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { Command, TaskGraph } from "../core/index.js";
import { dropListings } from "./early-listing.js";
import { InputHasher } from "./input-digest.js";

/** Bumped whenever what goes into a key or an entry changes: old entries then simply miss. */
export const cacheFormat = "parex-cache-1";

/** The lockfiles a key digests, the first found from the project directory up. */
export const lockfiles: readonly string[] = [
  "pnpm-lock.yaml",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "bun.lock",
  "bun.lockb",
];

/** What a task's key is made of, as hashed (`parex run --dry --json` shows it). */
export interface KeyRecipe {
  readonly format: string;
  readonly command: string | readonly string[];
  /** The working directory, relative to the project, POSIX. */
  readonly cwd: string;
  readonly env: readonly (readonly [string, string])[];
  /** Variables of the runner's environment named by the task, with their values (null: unset). */
  readonly hashedEnv: readonly (readonly [string, string | null])[];
  readonly outputs: readonly string[];
  readonly inputs: { readonly globs: readonly string[]; readonly digest: string };
  /**
   * Files at the project's root it reads (`rootInputs`): the globs, relative to the project
   * directory, and the digest of the files they match. Absent for a task that names none, so
   * its key is what it was before root inputs existed.
   */
  readonly rootInputs?: { readonly globs: readonly string[]; readonly digest: string };
  /** sha256 of the lockfile the project installs from; "none", or "unreadable". */
  readonly lockfile: string;
  /**
   * The keys of the tasks it depends on, by id; `fallback:<key>` for one whose last attempt
   * failed and whose fallback stood in.
   */
  readonly dependencies: readonly (readonly [string, string])[];
}

/** Where keys look for things: the project, the git work tree, the runner's environment. */
export interface KeyContext {
  /** The project directory: cwds in keys are relative to it, so a key holds on any machine. */
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The cache keys of a run's tasks: a sha256 of each task's recipe, which includes the keys of
 * the tasks it depends on, so a change reaches every dependent. A key is computed once per run,
 * when first asked (its task about to start, or a dependent asking), from the files as they are
 * then; the file lists of a directory are read once per run.
 */
export class TaskKeys {
  readonly #graph: ReadonlyMap<string, KeyedTask>;
  readonly #context: KeyContext;
  #hasher = new InputHasher();
  readonly #repoRoot: string | undefined;
  readonly #lockfile: string;
  readonly #recipes = new Map<string, Promise<TaskKey>>();
  // Tasks a cached task depends on: their keys are taken before they run, from the files as
  // they were then, like every key.
  readonly #feedCached = new Set<string>();
  // Tasks whose last attempt failed (so a fallback stood in for them) or whose fallback ran.
  readonly #fellBack = new Set<string>();

  constructor(graph: TaskGraph<Command>, context: KeyContext) {
    this.#graph = new Map(
      graph.tasks.map((task) => [
        task.id,
        {
          run: task.run,
          dependsOn: task.dependsOn ?? [],
          fallback:
            task.fallback !== undefined && "run" in task.fallback ? task.fallback.run : undefined,
        },
      ]),
    );
    for (const task of graph.tasks) {
      if (task.run.cache !== undefined)
        for (const dep of task.dependsOn ?? []) this.#feedCached.add(dep);
    }
    this.#context = context;
    this.#repoRoot = gitRoot(context.projectDir);
    try {
      this.#lockfile = lockfileDigest(context.projectDir, this.#repoRoot);
    } catch {
      this.#lockfile = "unreadable";
    }
  }

  /** The key of task `id`, what it was made of, and the root files it counted. */
  of(id: string): Promise<TaskKey> {
    let found = this.#recipes.get(id);
    if (found === undefined) {
      found = this.#compute(id);
      this.#recipes.set(id, found);
    }
    return found;
  }

  /**
   * A task ended or was restored: files may have changed, so keys taken from now on list the
   * files again (tasks that start together still share one listing).
   */
  filesChanged(): void {
    this.#hasher = new InputHasher();
    dropListings();
  }

  /**
   * An attempt of task `id` ended. After a failed one, what its dependents see is a fallback's
   * (or nothing they could cache): their keys say so, and differ from those after a success.
   */
  attemptEnded(id: string, ok: boolean): void {
    if (ok) this.#fellBack.delete(id);
    else this.#fellBack.add(id);
  }

  /** Whether `action` is task `id`'s fallback command rather than its own. */
  isFallback(id: string, action: Command): boolean {
    return this.#task(id).fallback === action;
  }

  /** Whether task `id`'s key must be taken before it runs: a cached task depends on it. */
  neededBeforeRun(id: string): boolean {
    return this.#feedCached.has(id);
  }

  /**
   * Whether task `id`'s inputs (its own and its root files) differ now from those its key was
   * taken from: it wrote into them while it ran.
   */
  async inputsChanged(id: string): Promise<boolean> {
    const { run } = this.#task(id);
    const { recipe } = await this.of(id);
    const hasher = new InputHasher();
    if ((await this.#inputs(run, hasher)).digest !== recipe.inputs.digest) return true;
    const root = await this.#rootInputs(run, hasher);
    return root?.digest !== recipe.rootInputs?.digest;
  }

  async #compute(id: string): Promise<TaskKey> {
    const { run, dependsOn } = this.#task(id);
    const dependencies = await Promise.all(
      [...dependsOn].sort().map(async (dep) => {
        const { key } = await this.of(dep);
        return [dep, this.#fellBack.has(dep) ? `fallback:${key}` : key] as const;
      }),
    );
    const root = await this.#rootInputs(run, this.#hasher);
    const recipe: KeyRecipe = {
      format: cacheFormat,
      command: run.command,
      cwd: posix(relative(this.#context.projectDir, run.cwd ?? this.#context.projectDir)),
      env: Object.entries(run.env ?? {})
        .filter(([name]) => !(run.unkeyedEnv ?? []).includes(name))
        .sort(byName),
      hashedEnv: [...(run.cache?.hashedEnv ?? [])]
        .sort()
        .map((name) => [name, this.#context.env[name] ?? null] as const),
      outputs: run.cache?.outputs ?? [],
      inputs: await this.#inputs(run, this.#hasher),
      ...(root === undefined ? {} : { rootInputs: { globs: root.globs, digest: root.digest } }),
      lockfile: this.#lockfile,
      dependencies,
    };
    const key = createHash("sha256").update(JSON.stringify(recipe)).digest("hex");
    return { key, recipe, ...(root === undefined ? {} : { rootFiles: root.paths }) };
  }

  async #inputs(run: Command, hasher: InputHasher): Promise<KeyRecipe["inputs"]> {
    const globs = run.cache?.inputs ?? ["**"];
    const dir = run.cwd ?? this.#context.projectDir;
    const { digest } = await hasher.digest({
      // The work tree the cwd is in: a submodule or a nested repository is its own.
      repoRoot: gitRoot(dir),
      dir,
      include: globs,
      exclude: [...(run.cache?.outputs ?? []).filter((glob) => !glob.startsWith("!")), ".parex/**"],
    });
    return { globs, digest };
  }

  /**
   * The files of the project directory its `rootInputs` match, from the same listing as the
   * packages' files (one listing of the work tree serves both); undefined when it names none.
   */
  async #rootInputs(
    run: Command,
    hasher: InputHasher,
  ): Promise<{ globs: readonly string[]; digest: string; paths: readonly string[] } | undefined> {
    const globs = run.cache?.rootInputs ?? [];
    // Exclusions alone name no file (not the whole work tree, as they would for `inputs`).
    if (!globs.some(isPositive)) return undefined;
    const dir = this.#context.projectDir;
    const { digest, paths } = await hasher.digest({
      repoRoot: this.#repoRoot,
      dir,
      include: globs,
      exclude: [".parex/**"],
    });
    return { globs, digest, paths };
  }

  #task(id: string): KeyedTask {
    const task = this.#graph.get(id);
    if (task === undefined) throw new Error(`no task "${id}" in this run's graph`);
    return task;
  }
}

/** A task's key, and what it was made of. */
export interface TaskKey {
  readonly key: string;
  readonly recipe: KeyRecipe;
  /** The files its `rootInputs` matched, relative to the project directory, sorted. */
  readonly rootFiles?: readonly string[];
}

interface KeyedTask {
  readonly run: Command;
  readonly dependsOn: readonly string[];
  readonly fallback: Command | undefined;
}

const isPositive = (glob: string): boolean => !glob.startsWith("!");

const byName = (a: readonly [string, unknown], b: readonly [string, unknown]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

const posix = (path: string): string => (path === "" ? "." : path.split(sep).join("/"));

/** The git work tree `dir` is in, found by its `.git` (a directory, or a file in a worktree). */
export function gitRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** The sha256 of the first lockfile from `dir` up to the repository's root (or `/`). */
function lockfileDigest(dir: string, repoRoot: string | undefined): string {
  for (let at = dir; ; at = dirname(at)) {
    for (const name of lockfiles) {
      const file = join(at, name);
      if (existsSync(file)) return createHash("sha256").update(readFileSync(file)).digest("hex");
    }
    if (at === repoRoot || dirname(at) === at) return "none";
  }
}
