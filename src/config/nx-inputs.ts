import { isRecord } from "./config-checks.js";
import { atRoot } from "./root-globs.js";

/** A target's Nx `inputs`, as parex keys them. */
export interface NxInputs {
  /** Globs of its project (`src/**`), and of the workspace root (`$root/babel.config.json`). */
  readonly inputs: readonly string[];
  /** Globs of each project it depends on, directly or not (`^production`), relative to each. */
  readonly dependencyInputs: readonly string[];
  /** Variables whose values are in its key (`{ "env": "NODE_ENV" }`). */
  readonly env: readonly string[];
}

/** How the names a target reaches through `^` resolve: as its dependencies define them. */
export interface NxDependencyNames {
  /** nx.json's named inputs, which the projects it depends on read. Default: its own. */
  readonly named?: Readonly<Record<string, unknown>>;
  /** Names a project it depends on defines its own way. Default: none. */
  readonly overridden?: ReadonlySet<string>;
}

/** What Nx hashes for a target that names no inputs: its project's files, and its dependencies'. */
const nxDefaultInputs = ["default", "^default"];

/**
 * A target's `inputs` (Nx's default when it gives none), with `namedInputs` resolved:
 * `{projectRoot}/…` globs, `{workspaceRoot}/…` globs as `$root/…`, `^name` and
 * `{ input, dependencies: true }` as the files of every project it depends on (as Nx follows
 * them, transitively), `{ env }`, and `{ fileset }`. The lockfile (`externalDependencies`) and
 * the dependencies' outputs (`dependentTasksOutputFiles`) are in every key already. A name
 * reached through `^` is the dependencies' (`dependencies.named`); one a dependency defines its
 * own way (`dependencies.overridden`) cannot be one set of globs for all: the reason. Anything
 * else — `{ runtime }`, `{options.*}`, another project's inputs — cannot be hashed: the reason.
 */
export function nxInputs(
  given: readonly unknown[] | undefined,
  named: Readonly<Record<string, unknown>>,
  dependencies: NxDependencyNames = {},
): NxInputs | { readonly uncached: string } {
  const { overridden = new Set<string>(), named: theirs = named } = dependencies;
  const found = { inputs: [] as string[], dependencyInputs: [] as string[], env: [] as string[] };
  const seen = new Set<string>();
  /** Adds one input, of the project itself or (`ofDependencies`) of those it depends on. */
  const add = (input: unknown, ofDependencies: boolean): string | undefined => {
    if (typeof input === "string") {
      if (input.startsWith("^")) return add(input.slice(1), true);
      const own = tokenGlob(input, "projectRoot");
      if (own !== undefined)
        return void (ofDependencies ? found.dependencyInputs : found.inputs).push(own);
      const root = tokenGlob(input, "workspaceRoot");
      if (root !== undefined) return void found.inputs.push(atRoot(root));
      if (input.includes("{") || input.includes("/"))
        return `its input ${show(input)} is outside its project`;
      if (ofDependencies && overridden.has(input))
        return `its input "^${input}" is each dependency's own "${input}", which a project it depends on defines its own way`;
      const id = `${String(ofDependencies)}:${input}`;
      if (seen.has(id)) return undefined;
      seen.add(id);
      const list = (ofDependencies ? theirs : named)[input];
      // Nx's own `default`, when nx.json does not define one: every file of the project.
      if (list === undefined && input === "default") return add("{projectRoot}/**", ofDependencies);
      if (!Array.isArray(list))
        return `its input ${show(input)} is not a named input of nx.json or its project`;
      for (const item of list) {
        const why = add(item, ofDependencies);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    if (!isRecord(input)) return `its input ${show(input)} is not one parex can hash`;
    if (typeof input["env"] === "string") return void found.env.push(input["env"]);
    if (typeof input["fileset"] === "string")
      return add(input["fileset"], ofDependencies || input["dependencies"] === true);
    if ("externalDependencies" in input || "dependentTasksOutputFiles" in input) return undefined;
    if (typeof input["input"] === "string") {
      const { projects, dependencies } = input;
      if (projects === "dependencies" || (dependencies === true && projects === undefined))
        return add(input["input"], true);
      if (projects === undefined || projects === "self") return add(input["input"], ofDependencies);
    }
    return `its input ${show(input)} is not one parex can hash`;
  };
  for (const input of given ?? nxDefaultInputs) {
    const why = add(input, false);
    if (why !== undefined) return { uncached: why };
  }
  const unique = (list: string[]): string[] => [...new Set(list)];
  return {
    inputs: unique(found.inputs),
    dependencyInputs: unique(found.dependencyInputs),
    env: unique(found.env),
  };
}

/** `{projectRoot}/src/**` as `src/**` (and `!{projectRoot}/x` as `!x`); anything else: undefined. */
export function tokenGlob(
  path: string,
  token: "projectRoot" | "workspaceRoot",
): string | undefined {
  const match = new RegExp(`^(!?)\\{${token}\\}/(.+)$`).exec(path);
  if (match === null) return undefined;
  const glob = `${match[1] ?? ""}${match[2] ?? ""}`;
  return /\{[\w.]+\}|(^|\/)\.\.(\/|$)/.test(glob) ? undefined : glob;
}

const show = (value: unknown): string => JSON.stringify(value);
