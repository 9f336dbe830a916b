import { isRecord } from "./config-checks.js";
import { invalid } from "./turbo-rules.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry } from "./workspaces.js";

const file = "nx.json";

/**
 * Nx's `targetDefaults` (nx.json) as a parex pipeline: `dependsOn` (strings, and objects with
 * `projects: "dependencies" | "self" | [names]`), `outputs` and `inputs` under `{projectRoot}`,
 * named inputs resolved through `namedInputs`, `{ env }` inputs, and `cache`, which is off
 * unless `cache: true` says otherwise (or the target is one of the old `cacheableOperations`),
 * as Nx has it. A target whose outputs or inputs reach outside its project (`{workspaceRoot}`,
 * `{options.*}`, `runtime`) is not cached, with a note saying why.
 */
export function nxRules(data: unknown): ForeignRules {
  if (!isRecord(data)) throw invalid(file, "top level", "an object", data);
  const defaults = data["targetDefaults"] ?? {};
  if (!isRecord(defaults)) throw invalid(file, "targetDefaults", "an object of targets", defaults);
  const named = data["namedInputs"] ?? {};
  if (!isRecord(named)) throw invalid(file, "namedInputs", "an object of named inputs", named);
  const cacheable = cacheableOperations(data);
  const notes: string[] = [];
  const pipeline: Record<string, PipelineEntry> = {};
  for (const [target, entry] of Object.entries(defaults)) {
    const at = `targetDefaults.${target}`;
    if (target.includes(":")) {
      notes.push(`${file}: ${at} gives defaults to an executor, which parex does not run`);
      continue;
    }
    if (!isRecord(entry)) throw invalid(file, at, "an object", entry);
    const context = { at, named, notes };
    const dependsOn = listAt(entry, "dependsOn", at).flatMap((d, i) =>
      dependency(d, { ...context, at: `${at}.dependsOn[${i}]` }),
    );
    const files = cacheFiles(entry, context);
    const cache = entry["cache"] ?? cacheable.has(target);
    if (typeof cache !== "boolean") throw invalid(file, `${at}.cache`, "true or false", cache);
    if (cache && files.uncached !== undefined)
      notes.push(`${file}: ${at} is not cached: ${files.uncached}`);
    pipeline[target] = {
      dependsOn,
      ...(files.uncached === undefined ? files.rules : {}),
      cache: cache && files.uncached === undefined,
    };
  }
  return { pipeline, notes };
}

interface Context {
  readonly at: string;
  readonly named: Readonly<Record<string, unknown>>;
  readonly notes: string[];
}

/** `^build`, `build`, or `{ target, projects }` as parex's `^build`, `build`, `pkg#build`. */
function dependency(value: unknown, { at, notes }: Context): string[] {
  if (typeof value === "string") return value.includes("*") ? wildcard(value, at, notes) : [value];
  if (!isRecord(value) || typeof value["target"] !== "string")
    throw invalid(file, at, 'a target name, or { "target": ..., "projects": ... }', value);
  const { target, projects, dependencies } = value;
  if (target.includes("*")) return wildcard(target, at, notes);
  if (dependencies === true || projects === "dependencies" || projects === "{dependencies}")
    return [`^${target}`];
  if (projects === undefined || projects === "self" || projects === "{self}") return [target];
  const names = typeof projects === "string" ? [projects] : projects;
  if (Array.isArray(names) && names.every((name) => typeof name === "string"))
    return names.map((name) => `${name}#${target}`);
  throw invalid(file, `${at}.projects`, '"dependencies", "self" or project names', projects);
}

function wildcard(name: string, at: string, notes: string[]): string[] {
  notes.push(`${file}: ${at} "${name}" names targets by a pattern, which parex does not read`);
  return [];
}

/** The target's outputs and inputs as globs of its package, or why they cannot be. */
function cacheFiles(
  entry: Record<string, unknown>,
  context: Context,
): { rules: Pick<PipelineEntry, "outputs" | "inputs" | "env">; uncached?: string } {
  const { at } = context;
  const outputs: string[] = [];
  for (const output of listAt(entry, "outputs", at)) {
    const glob = typeof output === "string" ? inProject(output) : undefined;
    if (glob === undefined)
      return { rules: {}, uncached: `its output ${show(output)} is not one parex can restore` };
    // `{projectRoot}/dist` is a file or a directory: both are restored.
    outputs.push(...(/[*?[{]/.test(glob) ? [glob] : [glob, `${glob}/**`]));
  }
  const env: string[] = [];
  const seen = new Set<string>();
  const inputs: string[] = [];
  const add = (input: unknown): string | undefined => {
    if (typeof input === "string") {
      if (input.startsWith("^")) return undefined; // the dependencies' keys are in the key
      const glob = inProject(input);
      if (glob !== undefined) return void inputs.push(glob);
      if (input.includes("{") || input.includes("/"))
        return `its input ${show(input)} is outside its project`;
      if (seen.has(input)) return undefined;
      seen.add(input);
      const list = context.named[input];
      // Nx's own `default` input, when nx.json does not define one: every file of the project.
      if (list === undefined && input === "default") return void inputs.push("**");
      if (!Array.isArray(list)) return `its input ${show(input)} is not a named input of nx.json`;
      for (const item of list) {
        const why = add(item);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    if (isRecord(input) && typeof input["env"] === "string") return void env.push(input["env"]);
    if (isRecord(input) && typeof input["fileset"] === "string") return add(input["fileset"]);
    if (
      isRecord(input) &&
      ("externalDependencies" in input || "dependentTasksOutputFiles" in input)
    )
      return undefined; // the lockfile and the dependencies' keys are in the key
    return `its input ${show(input)} is not one parex can hash`;
  };
  const given = entry["inputs"] === undefined ? undefined : listAt(entry, "inputs", at);
  for (const input of given ?? []) {
    const why = add(input);
    if (why !== undefined) return { rules: {}, uncached: why };
  }
  return {
    rules: {
      ...(outputs.length === 0 ? {} : { outputs }),
      ...(given === undefined ? {} : { inputs }),
      ...(env.length === 0 ? {} : { env }),
    },
  };
}

/** `{projectRoot}/src/**` as `src/**` (and `!{projectRoot}/x` as `!x`); anything else: undefined. */
function inProject(path: string): string | undefined {
  const match = /^(!?)\{projectRoot\}\/(.+)$/.exec(path);
  if (match === null) return undefined;
  const glob = `${match[1] ?? ""}${match[2] ?? ""}`;
  return /\{[\w.]+\}|(^|\/)\.\.(\/|$)/.test(glob) ? undefined : glob;
}

function listAt(entry: Record<string, unknown>, key: string, at: string): unknown[] {
  const value = entry[key] ?? [];
  if (!Array.isArray(value)) throw invalid(file, `${at}.${key}`, "an array", value);
  return value;
}

/** The targets Nx before 17 cached: `tasksRunnerOptions.*.options.cacheableOperations`. */
function cacheableOperations(data: Record<string, unknown>): Set<string> {
  const runners = data["tasksRunnerOptions"];
  if (!isRecord(runners)) return new Set();
  return new Set(
    Object.values(runners).flatMap((runner) => {
      const options = isRecord(runner) ? runner["options"] : undefined;
      const list = isRecord(options) ? options["cacheableOperations"] : undefined;
      return Array.isArray(list) ? list.filter((t): t is string => typeof t === "string") : [];
    }),
  );
}

const show = (value: unknown): string => JSON.stringify(value);
