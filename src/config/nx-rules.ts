import { isRecord } from "./config-checks.js";
import { nxTarget } from "./nx-target.js";
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
  const { defaults, named, cacheable } = nxSettings(data);
  const notes: string[] = [];
  const pipeline: Record<string, PipelineEntry> = {};
  for (const [target, entry] of Object.entries(defaults)) {
    const at = `targetDefaults.${target}`;
    if (target.includes(":")) {
      notes.push(`${file}: ${at} gives defaults to an executor, which parex does not run`);
      continue;
    }
    if (!isRecord(entry)) throw invalid(file, at, "an object", entry);
    pipeline[target] = nxTarget(entry, cacheable.has(target), { file, at, named, notes });
  }
  return { pipeline, globalInputs: [], notes };
}

/** What of nx.json the targets of every project read. */
export interface NxSettings {
  /** `targetDefaults`, by target name or executor, as written. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** `namedInputs`, as written. */
  readonly named: Readonly<Record<string, unknown>>;
  /** The targets cached when they do not say `cache` (Nx 16's `cacheableOperations`). */
  readonly cacheable: ReadonlySet<string>;
}

/** nx.json's `targetDefaults`, `namedInputs` and old `cacheableOperations`, checked. */
export function nxSettings(data: unknown): NxSettings {
  if (!isRecord(data)) throw invalid(file, "top level", "an object", data);
  const defaults = data["targetDefaults"] ?? {};
  if (!isRecord(defaults)) throw invalid(file, "targetDefaults", "an object of targets", defaults);
  const named = data["namedInputs"] ?? {};
  if (!isRecord(named)) throw invalid(file, "namedInputs", "an object of named inputs", named);
  return { defaults, named, cacheable: cacheableOperations(data) };
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
