import { isRecord } from "./config-checks.js";
import { nxInputs, tokenGlob } from "./nx-inputs.js";
import type { NxDependencyNames } from "./nx-inputs.js";
import { invalid } from "./turbo-rules.js";
import type { PipelineEntry } from "./workspaces.js";

/** Where an Nx target entry sits, and what its inputs resolve against. */
export interface NxTargetContext {
  /** The file, as said to the user: `nx.json`, `packages/web/project.json`. */
  readonly file: string;
  /** Its path in the file: `targetDefaults.build`, `targets.build`, `nx.targets.build`. */
  readonly at: string;
  /** The named inputs its inputs name: nx.json's, with its project's own over them. */
  readonly named: Readonly<Record<string, unknown>>;
  /** How names reached through `^` resolve: nx.json's, and those a dependency overrides. */
  readonly dependencies?: NxDependencyNames;
  /** Its project's directory from the workspace root (`packages/web`), when it has one. */
  readonly projectDir?: string;
  /** Where what parex does not follow is said, a sentence each. */
  readonly notes: string[];
}

/**
 * One Nx target entry — of nx.json's `targetDefaults`, or a project's target merged over them
 * — as a pipeline entry: `dependsOn` (strings, and objects with `projects: "dependencies" |
 * "self" | [names]`), `outputs` under `{projectRoot}`, `inputs` ({@link nxInputs}), and `cache`
 * (`cached` when it says nothing, as Nx 17+ has it). A target whose outputs leave its project,
 * or whose inputs parex cannot hash, is not cached, with a note saying why.
 */
export function nxTarget(
  entry: Record<string, unknown>,
  cached: boolean,
  context: NxTargetContext,
): PipelineEntry {
  const { file, at, notes } = context;
  const dependsOn = listAt(entry, "dependsOn", context).flatMap((d, i) =>
    dependency(d, { ...context, at: `${at}.dependsOn[${i}]` }),
  );
  const files = cacheFiles(entry, context);
  const cache = entry["cache"] ?? cached;
  if (typeof cache !== "boolean") throw invalid(file, `${at}.cache`, "true or false", cache);
  if (cache && files.uncached !== undefined)
    notes.push(`${file}: ${at} is not cached: ${files.uncached}`);
  const keyed = cache && files.uncached === undefined;
  return { dependsOn, ...(keyed ? files.rules : {}), cache: keyed };
}

/** `^build`, `build`, or `{ target, projects }` as parex's `^build`, `build`, `pkg#build`. */
function dependency(value: unknown, { file, at, notes }: NxTargetContext): string[] {
  const wildcard = (name: string): string[] => {
    notes.push(`${file}: ${at} "${name}" names targets by a pattern, which parex does not read`);
    return [];
  };
  if (typeof value === "string") return value.includes("*") ? wildcard(value) : [value];
  if (!isRecord(value) || typeof value["target"] !== "string")
    throw invalid(file, at, 'a target name, or { "target": ..., "projects": ... }', value);
  const { target, projects, dependencies } = value;
  if (target.includes("*")) return wildcard(target);
  if (dependencies === true || projects === "dependencies" || projects === "{dependencies}")
    return [`^${target}`];
  if (projects === undefined || projects === "self" || projects === "{self}") return [target];
  const names = typeof projects === "string" ? [projects] : projects;
  if (Array.isArray(names) && names.every((name) => typeof name === "string"))
    return names.map((name) => `${name}#${target}`);
  throw invalid(file, `${at}.projects`, '"dependencies", "self" or project names', projects);
}

/** The target's outputs and inputs as globs of its package and the root, or why they cannot be. */
function cacheFiles(
  entry: Record<string, unknown>,
  context: NxTargetContext,
): {
  rules: Pick<PipelineEntry, "outputs" | "inputs" | "dependencyInputs" | "env">;
  uncached?: string;
} {
  const outputs: string[] = [];
  for (const output of listAt(entry, "outputs", context)) {
    const glob = typeof output === "string" ? outputGlob(output, context.projectDir) : undefined;
    if (glob === undefined)
      return { rules: {}, uncached: `its output ${show(output)} is not one parex can restore` };
    // `{projectRoot}/dist` is a file or a directory: both are restored.
    outputs.push(...(/[*?[{]/.test(glob) ? [glob] : [glob, `${glob}/**`]));
  }
  const given = entry["inputs"] === undefined ? undefined : listAt(entry, "inputs", context);
  const read = nxInputs(given, context.named, context.dependencies);
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

/**
 * An output as a glob of its project: `{projectRoot}/dist`, and, for a project's own target,
 * `{workspaceRoot}/packages/web/dist` when that is inside it; anything else: undefined.
 */
function outputGlob(output: string, projectDir: string | undefined): string | undefined {
  const own = tokenGlob(output, "projectRoot");
  if (own !== undefined || projectDir === undefined) return own;
  const rooted = tokenGlob(output, "workspaceRoot");
  return rooted?.startsWith(`${projectDir}/`) === true
    ? rooted.slice(projectDir.length + 1)
    : undefined;
}

function listAt(entry: Record<string, unknown>, key: string, context: NxTargetContext): unknown[] {
  const value = entry[key] ?? [];
  if (!Array.isArray(value)) throw invalid(context.file, `${context.at}.${key}`, "an array", value);
  return value;
}

const show = (value: unknown): string => JSON.stringify(value);
