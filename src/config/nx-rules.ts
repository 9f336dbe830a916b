import { isRecord } from "./config-checks.js";
import { nxInputs, tokenGlob } from "./nx-inputs.js";
import { invalid } from "./turbo-rules.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry } from "./workspaces.js";

const file = "nx.json";

/**
 * Nx's `targetDefaults` (nx.json) as a parex pipeline: `dependsOn` (strings, and objects with
 * `projects: "dependencies" | "self" | [names]`), `outputs` under `{projectRoot}`, `inputs`
 * ({@link nxInputs}: the project's, the workspace root's, its dependencies', `{ env }`), and
 * `cache`, which is off unless `cache: true` says otherwise (or the target is one of the old
 * `cacheableOperations`), as Nx has it. A target whose outputs leave its project, or whose
 * inputs parex cannot hash (`{options.*}`, `runtime`), is not cached, with a note saying why.
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
    const cached = cache && files.uncached === undefined;
    pipeline[target] = { dependsOn, ...(cached ? files.rules : {}), cache: cached };
  }
  return { pipeline, globalInputs: [], notes };
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

/** The target's outputs and inputs as globs of its package and the root, or why they cannot be. */
function cacheFiles(
  entry: Record<string, unknown>,
  context: Context,
): {
  rules: Pick<PipelineEntry, "outputs" | "inputs" | "dependencyInputs" | "env">;
  uncached?: string;
} {
  const { at } = context;
  const outputs: string[] = [];
  for (const output of listAt(entry, "outputs", at)) {
    const glob = typeof output === "string" ? tokenGlob(output, "projectRoot") : undefined;
    if (glob === undefined)
      return { rules: {}, uncached: `its output ${show(output)} is not one parex can restore` };
    // `{projectRoot}/dist` is a file or a directory: both are restored.
    outputs.push(...(/[*?[{]/.test(glob) ? [glob] : [glob, `${glob}/**`]));
  }
  const given = entry["inputs"] === undefined ? undefined : listAt(entry, "inputs", at);
  const read = nxInputs(given, context.named);
  if ("uncached" in read) return { rules: {}, uncached: read.uncached };
  const { inputs, dependencyInputs, env } = read;
  return {
    rules: {
      ...(outputs.length === 0 ? {} : { outputs }),
      inputs,
      ...(dependencyInputs.length === 0 ? {} : { dependencyInputs }),
      ...(env.length === 0 ? {} : { env }),
    },
  };
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
