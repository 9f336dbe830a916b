import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { Command, TaskGraph } from "../core/index.js";
import { inputFilter } from "./input-digest.js";
import { lockfiles } from "./task-keys.js";

/** Where the paths of {@link affectedTasks} are judged from. */
export interface AffectedContext {
  /** The project directory: tasks without a cwd run there; lockfiles are looked for from it up. */
  readonly projectDir: string;
  /** The top of the git work tree, where the lockfile search stops; undefined outside git. */
  readonly repoRoot: string | undefined;
  /**
   * Files whose change affects every task (the config file, which holds every command).
   * Lockfiles from the project directory up to `repoRoot` always do, as they are in every key.
   */
  readonly everyTask?: readonly string[];
}

/** Which tasks some changed files reach. */
export interface Affected {
  /** Tasks with a changed file among their inputs, in graph order. */
  readonly direct: readonly string[];
  /** `direct` and every task that depends on one of them, directly or not, in graph order. */
  readonly tasks: readonly string[];
  /** A changed file affects every task: the lockfile or the config file. */
  readonly global: string | undefined;
}

/**
 * The tasks of `graph` whose inputs hold one of `changed` (absolute paths; a deleted file
 * counts), and their dependents. A task's inputs are what its cache key digests: its
 * `cache.inputs` globs relative to its cwd, else every file under its cwd, minus its outputs
 * and `.parex/`; and its `cache.rootInputs` globs, relative to the project directory. Whether git ignores a file is the caller's to settle (git's listings leave
 * ignored files out already).
 */
export function affectedTasks(
  graph: TaskGraph<Command>,
  changed: Iterable<string>,
  context: AffectedContext,
): Affected {
  const paths = [...changed].map((path) => resolve(path));
  const global = paths.find((path) => affectsEveryTask(path, context));
  const projectDir = resolve(context.projectDir);
  const hit = new Set<string>();
  for (const task of graph.tasks) {
    if (global !== undefined) {
      hit.add(task.id);
      continue;
    }
    const dir = resolve(context.projectDir, task.run.cwd ?? ".");
    const counts = inputsOf(task.run);
    const countsAtRoot = rootInputsOf(task.run);
    const reads = (path: string): boolean =>
      counts(inside(dir, path)) || countsAtRoot(inside(projectDir, path));
    if (paths.some(reads)) hit.add(task.id);
  }
  const direct = graph.tasks.map((task) => task.id).filter((id) => hit.has(id));
  return { direct, tasks: withDependents(graph, hit), global };
}

/** Whether `path` is a lockfile the keys read, or a file named in `everyTask`. */
function affectsEveryTask(path: string, context: AffectedContext): boolean {
  if ((context.everyTask ?? []).some((file) => resolve(file) === path)) return true;
  if (!lockfiles.includes(basename(path))) return false;
  const dir = dirname(path);
  for (let at = resolve(context.projectDir); ; at = dirname(at)) {
    if (at === dir) return true;
    if (at === context.repoRoot || dirname(at) === at) return false;
  }
}

/** `path` relative to `dir` with `/`, or undefined when it is not under `dir`. */
function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/** Whether a path relative to a task's cwd is one of its inputs, as its key counts them. */
function inputsOf(run: Command): (path: string | undefined) => boolean {
  const outputs = (run.cache?.outputs ?? []).filter((glob) => !glob.startsWith("!"));
  const counts = inputFilter(run.cache?.inputs ?? ["**"], [...outputs, ".parex/**"]);
  return (path) => path !== undefined && counts(path);
}

/** Whether a path relative to the project directory is one of a task's root inputs. */
function rootInputsOf(run: Command): (path: string | undefined) => boolean {
  const globs = run.cache?.rootInputs ?? [];
  // No root glob, or exclusions alone, name no file: not the "everything" they mean for inputs.
  if (!globs.some((glob) => !glob.startsWith("!"))) return () => false;
  const counts = inputFilter(globs, [".parex/**"]);
  return (path) => path !== undefined && counts(path);
}

/** `ids` and every task that depends on one of them, in graph order. */
function withDependents(graph: TaskGraph<Command>, ids: ReadonlySet<string>): string[] {
  const dependents = new Map<string, string[]>();
  for (const task of graph.tasks) {
    for (const dep of task.dependsOn ?? []) {
      const list = dependents.get(dep) ?? [];
      list.push(task.id);
      dependents.set(dep, list);
    }
  }
  const reached = new Set<string>();
  const stack = [...ids];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(dependents.get(id) ?? []));
  }
  return graph.tasks.map((task) => task.id).filter((id) => reached.has(id));
}

/**
 * Whether `path` (absolute) is one of the outputs of a task of `graph`, by its `cache.outputs`
 * globs: a watcher leaves what tasks write alone, so a run does not start another.
 */
export function isTaskOutput(graph: TaskGraph<Command>, path: string, projectDir: string): boolean {
  return graph.tasks.some((task) => {
    const outputs = task.run.cache?.outputs ?? [];
    if (!outputs.some((glob) => !glob.startsWith("!"))) return false;
    const rel = inside(resolve(projectDir, task.run.cwd ?? "."), resolve(path));
    return rel !== undefined && inputFilter(outputs, [])(rel);
  });
}
