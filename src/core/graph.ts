import { findCycle } from "./find-cycle.js";
import { ParexError } from "./errors.js";
import { describeValue } from "./expect.js";
import { suggest } from "./suggest.js";
import { location, taskPath } from "./task-spec.js";
import type { TaskSpec } from "./task-spec.js";
import { validateTask } from "./validate-task.js";

/**
 * A validated task graph. Tasks are addressed by their index in declaration order; every
 * array below is indexed the same way.
 */
export interface TaskGraph<A = unknown> {
  /** The specs, in declaration order. */
  readonly tasks: readonly TaskSpec<A>[];
  /** Task index by id. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Indices of each task's dependencies (duplicates removed). */
  readonly dependencies: readonly (readonly number[])[];
  /** Indices of the tasks that depend on each task. */
  readonly dependents: readonly (readonly number[])[];
  /** A topological order: every task after all of its dependencies, ties in declaration order. */
  readonly order: readonly number[];
}

/** Options of {@link buildGraph}. */
export interface BuildGraphOptions {
  /** The file the specs came from, named in error messages. Default: none. */
  readonly source?: string;
}

/**
 * Validates specs into a graph in time linear in tasks + edges. Throws ParexError
 * DUPLICATE_TASK, UNKNOWN_DEPENDENCY (with a suggestion), DEPENDENCY_CYCLE (the cycle spelled
 * out, and its ids in `error.cycle`) or INVALID_TASK; a TypeError when `specs` is not an array.
 */
export function buildGraph<A>(
  specs: readonly TaskSpec<A>[],
  options: BuildGraphOptions = {},
): TaskGraph<A> {
  // Checked at run time too: JavaScript callers pass anything.
  const given: unknown = specs;
  if (!Array.isArray(given)) {
    throw new TypeError(
      `Expected \`specs\` to be an array of task specs, got ${describeValue(specs)}`,
    );
  }
  const indexOf = indexTasks(specs, options.source);
  const dependencies = specs.map((spec) => resolveDependencies(spec, indexOf, options.source));
  const dependents: number[][] = specs.map(() => []);
  dependencies.forEach((deps, task) => {
    for (const dep of deps) dependents[dep]?.push(task);
  });
  const order = topologicalOrder(dependencies, dependents);
  if (order.length < specs.length) {
    const cycle = findCycle(dependencies, order).map((i) => specs[i]?.id ?? "");
    const first = cycle[0] ?? "";
    throw new ParexError(
      "DEPENDENCY_CYCLE",
      `Dependency cycle: ${cycle.join(" → ")} ${location(taskPath(first, "dependsOn"), options.source)}. Remove one of these dependencies.`,
      { cycle },
    );
  }
  return { tasks: specs, indexOf, dependencies, dependents, order };
}

function indexTasks(specs: readonly TaskSpec[], source: string | undefined): Map<string, number> {
  const indexOf = new Map<string, number>();
  specs.forEach((value: unknown, i) => {
    const spec = shaped(value, i, source);
    const previous = indexOf.get(spec.id);
    if (previous !== undefined) {
      throw new ParexError(
        "DUPLICATE_TASK",
        `Task "${spec.id}" is defined twice ${location(`tasks[${previous}] and tasks[${i}]`, source)}. Give each task its own id.`,
      );
    }
    validateTask(spec, source);
    indexOf.set(spec.id, i);
  });
  return indexOf;
}

/** `value` as a spec: an object with a non-empty string id and a `run`; else INVALID_TASK. */
function shaped(value: unknown, i: number, source: string | undefined): TaskSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ParexError(
      "INVALID_TASK",
      `Tasks must be objects with an id and a run ${location(`tasks[${i}]`, source)}, got ${describeValue(value)}.`,
    );
  }
  const spec = value as Partial<TaskSpec>;
  if (typeof spec.id !== "string" || spec.id === "") {
    throw new ParexError(
      "INVALID_TASK",
      `Task ids must be non-empty strings ${location(`tasks[${i}].id`, source)}, got ${describeValue(spec.id)}.`,
    );
  }
  // What `run` holds is the executor's business (a function, a command, a service call); that
  // there is one is checked here, before anything runs.
  if (spec.run === undefined) {
    throw new ParexError(
      "INVALID_TASK",
      `Task "${spec.id}" has no run ${location(taskPath(spec.id, "run"), source)}: give it the function or command to run.`,
    );
  }
  return spec as TaskSpec;
}

function resolveDependencies(
  spec: TaskSpec,
  indexOf: ReadonlyMap<string, number>,
  source: string | undefined,
): number[] {
  const names = spec.dependsOn ?? [];
  if (!Array.isArray(names)) {
    throw new ParexError(
      "INVALID_TASK",
      `Task "${spec.id}" has an invalid dependsOn ${location(taskPath(spec.id, "dependsOn"), source)}: expected an array of task ids, got ${describeValue(names)}.`,
    );
  }
  const deps: number[] = [];
  // A linear scan dedupes the usual handful of dependencies; a set keeps huge fan-ins linear.
  const seen = names.length > 16 ? new Set<number>() : undefined;
  names.forEach((name: unknown, position) => {
    const index = typeof name === "string" ? indexOf.get(name) : undefined;
    if (index === undefined) throw unknownDependency(spec.id, name, position, indexOf, source);
    if (seen ? seen.has(index) : deps.includes(index)) return;
    seen?.add(index);
    deps.push(index);
  });
  return deps;
}

function unknownDependency(
  id: string,
  name: unknown,
  position: number,
  indexOf: ReadonlyMap<string, number>,
  source: string | undefined,
): ParexError {
  const where = location(taskPath(id, "dependsOn", position), source);
  if (typeof name !== "string") {
    return new ParexError(
      "INVALID_TASK",
      `Task "${id}" has an invalid dependency ${where}: expected a task id, got ${describeValue(name)}.`,
    );
  }
  const guess = suggest(name, indexOf.keys(), id);
  const hint =
    guess === undefined ? " Define it, or remove the dependency." : ` Did you mean "${guess}"?`;
  return new ParexError(
    "UNKNOWN_DEPENDENCY",
    `Task "${id}" depends on unknown task "${name}" ${where}.${hint}`,
  );
}

/** Kahn's algorithm; returns fewer indices than tasks when there is a cycle. */
function topologicalOrder(
  dependencies: readonly (readonly number[])[],
  dependents: readonly (readonly number[])[],
): number[] {
  const waiting = Int32Array.from(dependencies, (deps) => deps.length);
  const order: number[] = [];
  for (let i = 0; i < waiting.length; i++) if (waiting[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    for (const next of dependents[order[head] ?? 0] ?? []) {
      const left = (waiting[next] ?? 0) - 1;
      waiting[next] = left;
      if (left === 0) order.push(next);
    }
  }
  return order;
}
