import { relative, sep } from "node:path";
import type { Command, TaskGraph } from "../core/index.js";
import type { CacheMode } from "./caching-executor.js";
import { findEntry } from "./find-entry.js";
import type { EntryStore, FoundEntry } from "./find-entry.js";
import type { TaskKey, TaskKeys } from "./task-keys.js";

/**
 * What a run would do with a task's cache entry:
 * - `hit`: an entry is stored under its key: it would be restored, not run;
 * - `miss`: it would run (no entry, or `--cache write`);
 * - `unknown`: a task it depends on (directly or not) would run first, a miss or a task that
 *   is not cached, and may rewrite files its key is made of: its key, taken now, may not be
 *   the one the run takes;
 * - `off`: not cached (the task says nothing of its files, `--cache off`, `--no-history`, or
 *   its key could not be taken).
 */
export type DryCacheStatus = "hit" | "miss" | "unknown" | "off";

/** One task a run would start, as `parex run --dry --json` gives it. */
export interface DryTask {
  readonly id: string;
  readonly command: string | readonly string[];
  /** Its working directory, relative to the project, POSIX (`.` for the project's). */
  readonly cwd: string;
  /** The ids of the tasks it waits for. */
  readonly dependsOn: readonly string[];
  /** Whether the task itself is cached (it says what it reads or writes). */
  readonly cached: boolean;
  readonly cache: DryCacheStatus;
  /** Its key, from the files as they are now; absent when the cache is off for it. */
  readonly cacheKey?: string;
  /**
   * The files at the project's root its key counts (`rootInputs`): the globs, relative to the
   * project directory, and the files they match now, sorted. Absent when it names none.
   */
  readonly rootInputs?: { readonly globs: readonly string[]; readonly files: readonly string[] };
  /** For a hit: the store holding its entry (`local`). */
  readonly from?: string;
  /** For a hit: how long it ran when it was stored, in ms (the time a hit saves). */
  readonly savedMs?: number;
  /** For `unknown`: the tasks upstream of it that would run first, by id, sorted. */
  readonly after?: readonly string[];
  /** Why its key could not be taken, when it could not. */
  readonly note?: string;
}

/** What {@link dryPlan} is given. */
export interface DryPlanOptions {
  readonly projectDir: string;
  readonly mode: CacheMode;
  /** The run's keys; undefined when the cache is off (keys are not taken). */
  readonly keys: TaskKeys | undefined;
  /** Where entries are looked for, in order. */
  readonly stores: readonly { readonly name: string; readonly store: EntryStore }[];
}

/**
 * The tasks of `graph` in the order a run would start them (dependencies first), each with its
 * key and whether it would hit. Nothing is run, restored, written or marked as used.
 */
export async function dryPlan(
  graph: TaskGraph<Command>,
  options: DryPlanOptions,
): Promise<DryTask[]> {
  const { keys } = options;
  const looked = await Promise.all(
    graph.order.map(async (index) => {
      const task = graph.tasks[index];
      if (task === undefined) throw new Error(`no task at index ${index}`);
      const cached = task.run.cache !== undefined;
      const look = cached && keys !== undefined ? await lookUp(task.id, options) : undefined;
      return { task, cached, look };
    }),
  );
  // The tasks upstream of each task that would run, gathered in dependency order.
  const missesBefore = new Map<string, ReadonlySet<string>>();
  return looked.map(({ task, cached, look }) => {
    const dependsOn = [...(task.dependsOn ?? [])];
    const upstream = new Set<string>();
    for (const dep of dependsOn) for (const id of missesBefore.get(dep) ?? []) upstream.add(id);
    const base = {
      id: task.id,
      command: task.run.command,
      cwd: posix(relative(options.projectDir, task.run.cwd ?? options.projectDir)),
      dependsOn,
      cached,
    };
    const entry = statusOf(base, look, upstream);
    if (runsFirst(entry, task.run, options.mode)) upstream.add(task.id);
    missesBefore.set(task.id, upstream);
    return entry;
  });
}

/**
 * Whether a task runs in the run and may write files its dependents' keys are made of: a miss,
 * or a task that is not cached (it runs every time: a code generator, a fetch). A service is
 * not counted: it serves, it does not build. With `--cache write` every task runs and nothing
 * is looked up, so nothing is unknown.
 */
function runsFirst(entry: DryTask, run: Command, mode: CacheMode): boolean {
  if (mode === "write" || mode === "off" || run.persistent === true) return false;
  return entry.cache === "miss" || entry.cache === "off";
}

/** A cached task's key and where its entry is, as a run would find them. */
interface Look {
  /** Undefined when the key could not be taken. */
  readonly key?: string;
  /** The root files the key counts, when the task names any. */
  readonly root?: DryTask["rootInputs"];
  readonly found?: FoundEntry;
  /** Why the key could not be taken, or the store not read. */
  readonly note?: string;
  /** Whether the run would look the key up (not with `--cache write`). */
  readonly looked: boolean;
}

/** A task's entry in the plan, from what was found of its key and the misses upstream of it. */
function statusOf(
  base: Omit<DryTask, "cache">,
  look: Look | undefined,
  upstream: ReadonlySet<string>,
): DryTask {
  const note = look?.note === undefined ? {} : { note: look.note };
  if (look?.key === undefined) return { ...base, cache: "off", ...note };
  const key = { cacheKey: look.key, ...(look.root === undefined ? {} : { rootInputs: look.root }) };
  if (!look.looked) return { ...base, cache: "miss", ...key };
  if (upstream.size > 0) return { ...base, cache: "unknown", ...key, after: [...upstream].sort() };
  const { found } = look;
  if (found === undefined) return { ...base, cache: "miss", ...key, ...note };
  const saved = found.meta === undefined ? {} : { savedMs: found.meta.durationMs };
  return { ...base, cache: "hit", ...key, from: found.store, ...saved };
}

async function lookUp(id: string, { keys, stores, mode }: DryPlanOptions): Promise<Look> {
  if (keys === undefined) return { looked: false };
  let taken: { key: string; root?: DryTask["rootInputs"] };
  try {
    taken = withRootFiles(await keys.of(id));
  } catch (error) {
    return {
      looked: false,
      note: `its key could not be taken (${message(error)}); it would run uncached`,
    };
  }
  // `--cache write` runs every cached task without looking it up.
  if (mode === "write") return { ...taken, looked: false };
  try {
    return { ...taken, looked: true, ...found(await findEntry(taken.key, stores)) };
  } catch (error) {
    // As in a run: an entry that cannot be read is run, not restored.
    return {
      ...taken,
      looked: true,
      note: `the cache could not be read (${message(error)}); it would run`,
    };
  }
}

/** A key, with the root globs its recipe names and the files they matched. */
function withRootFiles({ key, recipe, rootFiles }: TaskKey): {
  key: string;
  root?: DryTask["rootInputs"];
} {
  const globs = recipe.rootInputs?.globs;
  return globs === undefined ? { key } : { key, root: { globs, files: rootFiles ?? [] } };
}

const found = (entry: FoundEntry | undefined) => (entry === undefined ? {} : { found: entry });

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const posix = (path: string): string => (path === "" ? "." : path.split(sep).join("/"));
