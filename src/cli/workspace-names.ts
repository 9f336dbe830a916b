import { ParexError, unknownNameHint } from "../core/index.js";
import type { TaskSpec } from "../core/index.js";
import type { PipelineEntry, WorkspacePackage } from "../config/index.js";
import { UsageError } from "./args.js";

/** What the names of the command line are resolved against in a workspace run. */
export interface WorkspaceNames {
  /** Script names, `pkg#script` task ids or config task ids; none: every script of the pipeline. */
  readonly names: readonly string[];
  /** Every task: the config's and the workspace's. */
  readonly specs: readonly TaskSpec[];
  readonly packages: readonly WorkspacePackage[];
  /** `--filter` patterns; none keeps every package. */
  readonly filter: readonly string[];
  /** The scripts that have tasks (the config's pipeline, or the scripts named). */
  readonly pipeline: Readonly<Record<string, PipelineEntry>>;
  /** The config file when the pipeline comes from it, for messages. */
  readonly pipelineSource: string | undefined;
  /** The workspace root, for messages. */
  readonly root: string;
}

/**
 * The task ids the names stand for: a script name is its task in every package (that the
 * filter keeps) with that script; `pkg#script` and config task ids stay as they are. A name that
 * stands for nothing is an error saying why, with the nearest name that would.
 */
export async function workspaceTaskIds(context: WorkspaceNames): Promise<string[]> {
  const { default: picomatch } = await import("picomatch");
  const matchers = context.filter.map((pattern) => ({ pattern, test: picomatch(pattern) }));
  for (const { pattern, test } of matchers) {
    if (!context.packages.some((p) => test(p.name))) throw unmatchedFilter(pattern, context);
  }
  const kept = context.packages.filter(
    (p) => matchers.length === 0 || matchers.some(({ test }) => test(p.name)),
  );
  const ids = new Set(context.specs.map((spec) => spec.id));
  const tasksOf = (script: string): string[] =>
    kept.map((p) => `${p.name}#${script}`).filter((id) => ids.has(id));
  if (context.names.length === 0) return allTasks(context, tasksOf);
  return context.names.flatMap((name) => {
    if (name.includes("#") && ids.has(name)) return [name];
    const tasks = tasksOf(name);
    if (tasks.length > 0) return tasks;
    if (ids.has(name)) return [name];
    throw new ParexError("UNKNOWN_TASK", unknownName(name, context));
  });
}

/** No names: every script of the pipeline in the packages kept, and without a filter the config's own tasks. */
function allTasks(context: WorkspaceNames, tasksOf: (script: string) => string[]): string[] {
  const scripts = Object.keys(context.pipeline);
  const workspace = new Set(context.packages.map((p) => p.name));
  const own = context.specs
    .map((spec) => spec.id)
    .filter((id) => !id.includes("#") || !workspace.has(id.slice(0, id.indexOf("#"))));
  const ids = [...scripts.flatMap(tasksOf), ...(context.filter.length === 0 ? own : [])];
  if (ids.length > 0) return ids;
  const where = context.filter.length === 0 ? "" : ` matching --filter ${context.filter.join(" ")}`;
  throw new ParexError(
    "UNKNOWN_TASK",
    `No workspace package${where} has a script of the pipeline (${listOf(scripts)}${context.pipelineSource === undefined ? "" : `, ${context.pipelineSource}`}).`,
  );
}

function unknownName(name: string, context: WorkspaceNames): string {
  if (context.packages.length === 0) {
    return `No workspace packages found in ${context.root}: the patterns of package.json "workspaces" (or pnpm-workspace.yaml) match no directory with a package.json.`;
  }
  const hash = name.indexOf("#");
  if (hash >= 0) return unknownTask(name.slice(0, hash), name.slice(hash + 1), context);
  const having = context.packages.filter((p) => p.scripts[name] !== undefined);
  if (having.length > 0 && context.filter.length > 0) {
    return `No workspace package matching --filter ${context.filter.join(" ")} has a script "${name}" (${listOf(having.map((p) => p.name))} ${having.length === 1 ? "has" : "have"} it).`;
  }
  if (having.length > 0) return notInPipeline(name, context);
  const known = [
    ...new Set([
      ...context.packages.flatMap((p) => Object.keys(p.scripts)),
      ...context.specs.filter((s) => !s.id.includes("#")).map((s) => s.id),
    ]),
  ].sort();
  const hint = unknownNameHint(name, known, {
    what: "scripts",
    none: "None of the packages has a script.",
  });
  return `No workspace package has a script "${name}".${hint}`;
}

/** `pkg#script` that is no task: no such package, or the package has no such script. */
function unknownTask(name: string, script: string, context: WorkspaceNames): string {
  const pkg = context.packages.find((p) => p.name === name);
  if (pkg === undefined) {
    const names = context.packages.map((p) => p.name);
    const hint = unknownNameHint(name, names, { what: "packages", none: "" });
    return `No workspace package is named "${name}" (in "${name}#${script}").${hint}`;
  }
  if (pkg.scripts[script] !== undefined) return notInPipeline(script, context);
  const hint = unknownNameHint(script, Object.keys(pkg.scripts), {
    what: `scripts of "${name}"`,
    none: "It has no scripts.",
  });
  return `Package "${name}" has no script "${script}".${hint}`;
}

function notInPipeline(script: string, context: WorkspaceNames): string {
  return `Script "${script}" is not in the pipeline of ${context.pipelineSource ?? "the config"}, so no task runs it: add it there, e.g. "pipeline": { "${script}": { "dependsOn": ["^${script}"] } }.`;
}

function unmatchedFilter(pattern: string, context: WorkspaceNames): UsageError {
  const hint = unknownNameHint(
    pattern,
    context.packages.map((p) => p.name),
    { what: "packages", none: `No workspace packages were found in ${context.root}.` },
  );
  return new UsageError(`--filter ${pattern} matches no workspace package.${hint}`);
}

/** `a, b, c`, or the first twenty and how many more, as the hints of unknown names list them. */
function listOf(items: readonly string[]): string {
  const more = items.length > 20 ? `, … (${items.length - 20} more)` : "";
  return `${items.slice(0, 20).join(", ")}${more}`;
}
