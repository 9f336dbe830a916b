import { describeValue, location, ParexError } from "../core/index.js";
import { isInside, isRecord } from "./config-checks.js";
import { isInputGlob, isParentGlob } from "./root-globs.js";
import type { PipelineEntry } from "./workspaces.js";

/** Task rules read from a file of another tool, and what of it parex does not read. */
export interface ForeignRules {
  readonly pipeline: Record<string, PipelineEntry>;
  /** Globs of root files in every task's key (turbo's `globalDependencies`), from the root. */
  readonly globalInputs: string[];
  /** One sentence for each thing the file says that parex does not follow. */
  readonly notes: string[];
}

/** Fields of a turbo task that change nothing parex does: how turbo shows logs, its TUI. */
const unread = new Set(["outputLogs", "outputMode", "interactive", "interruptible", "$schema"]);

/**
 * The rules of a turbo.json (turbo 2's `tasks`, turbo 1's `pipeline`) as a parex pipeline.
 * `dependsOn`, `outputs`, `inputs` (`$TURBO_DEFAULT$` is every file of the package,
 * `$TURBO_ROOT$/` the workspace root's files, `!` excludes), `env`, `cache` and `persistent`
 * are read; `globalEnv` joins every task's `env`, and `globalDependencies` are root files in
 * every task's key. A task whose outputs reach outside its package (`$TURBO_ROOT$`, `../`),
 * whose inputs leave the workspace (`$TURBO_ROOT$/../`; `../` globs are read per package by
 * withParentInputs), or whose key turbo takes from something parex cannot hash
 * (env wildcards, `dotEnv`), is not cached, and a note says why: running it is slower than a
 * false hit is wrong.
 */
export function turboRules(data: unknown, file = "turbo.json"): ForeignRules {
  const notes: string[] = [];
  if (!isRecord(data)) throw invalid(file, "top level", "an object", data);
  const tasks = data["tasks"] ?? data["pipeline"];
  const where =
    data["tasks"] === undefined && data["pipeline"] !== undefined ? "pipeline" : "tasks";
  if (!isRecord(tasks)) {
    throw invalid(
      file,
      where,
      `turbo 2's "tasks" or turbo 1's "pipeline", an object of tasks`,
      tasks,
    );
  }
  const globalEnv = data["globalEnv"] ?? [];
  if (!isStrings(globalEnv)) throw invalid(file, "globalEnv", "an array of names", globalEnv);
  const global = globalFiles(data, file, notes);
  const pipeline: Record<string, PipelineEntry> = {};
  for (const [key, task] of Object.entries(tasks)) {
    const at = `${where}.${key}`;
    if (key.startsWith("//#")) {
      notes.push(`${file}: ${at} is a task of the root package, which parex does not run`);
      continue;
    }
    if (!isRecord(task)) throw invalid(file, at, "an object", task);
    pipeline[key] = turboTask(task, { file, at, globalEnv, notes, uncached: global.uncached });
  }
  return { pipeline, globalInputs: global.inputs, notes };
}

/**
 * `globalDependencies`: globs of root files in every key; turbo 1's `$VAR` entries there are
 * said and left out. Files outside the workspace, or turbo 1's `globalDotEnv` (files git
 * ignores, which parex does not hash), leave every task uncached: the reason.
 */
function globalFiles(
  data: Record<string, unknown>,
  file: string,
  notes: string[],
): { inputs: string[]; uncached?: string } {
  const listed = data["globalDependencies"] ?? [];
  if (!isStrings(listed)) throw invalid(file, "globalDependencies", "an array of globs", listed);
  const inputs = listed.filter((glob) => {
    if (!glob.startsWith("$")) return true;
    notes.push(
      `${file}: "${glob}" in globalDependencies is turbo 1's old way of naming a variable: not read; list it in globalEnv`,
    );
    return false;
  });
  const outside = inputs.filter((glob) => !isInside(glob));
  if (outside.length > 0)
    return {
      inputs: [],
      uncached: `globalDependencies reach outside the workspace (${outside.join(", ")})`,
    };
  if (data["globalDotEnv"] !== undefined)
    return { inputs, uncached: "globalDotEnv files are not read" };
  return { inputs };
}

interface TaskContext {
  readonly file: string;
  readonly at: string;
  readonly globalEnv: readonly string[];
  readonly notes: string[];
  /** Why no task of the file is cached, when its global settings cannot be followed. */
  readonly uncached: string | undefined;
}

function turboTask(task: Record<string, unknown>, context: TaskContext): PipelineEntry {
  const { file, at, notes } = context;
  const strings = (key: string): string[] | undefined => {
    const value = task[key];
    if (value === undefined) return undefined;
    if (!isStrings(value)) throw invalid(file, `${at}.${key}`, "an array of strings", value);
    return value;
  };
  const flag = (key: string): boolean | undefined => {
    const value = task[key];
    if (value !== undefined && typeof value !== "boolean")
      throw invalid(file, `${at}.${key}`, "true or false", value);
    return value;
  };
  let uncached = context.uncached;
  const dependsOn = (strings("dependsOn") ?? []).filter((name) => {
    if (name.startsWith("$")) {
      notes.push(
        `${file}: "${name}" in ${at}.dependsOn is turbo 1's old way of naming a variable: not read; list it in env`,
      );
      return false;
    }
    if (!name.startsWith("//#")) return true;
    notes.push(`${file}: ${at}.dependsOn "${name}" is a task of the root package: not waited for`);
    return false;
  });
  const outputs = strings("outputs");
  const outside = (globs: readonly string[]): string =>
    globs.filter((g) => !inPackage(g)).join(", ");
  if (outputs !== undefined && !outputs.every(inPackage))
    uncached = `its outputs reach outside its package (${outside(outputs)})`;
  const given = strings("inputs");
  const inputs = given?.map((glob) =>
    glob.replaceAll("$TURBO_DEFAULT$", "**").replace(/^(!?)\$TURBO_ROOT\$\//, "$1$$root/"),
  );
  if (inputs !== undefined && !inputs.every(isReadable)) {
    const odd = (given ?? []).filter((_, i) => !isReadable(inputs[i] ?? "")).join(", ");
    uncached = `its inputs reach outside the workspace (${odd})`;
  }
  const env = [...context.globalEnv, ...(strings("env") ?? [])];
  if (!env.every(isName)) {
    const odd = env.filter((name) => !isName(name)).join(", ");
    uncached = `parex keys name variables one by one, not as ${odd}`;
  }
  if (task["dotEnv"] !== undefined) uncached = "its dotEnv files are not read";
  strings("passThroughEnv"); // parex passes the whole environment to every task, as turbo's loose mode
  for (const key of Object.keys(task)) {
    if (!known.has(key)) notes.push(`${file}: ${at}.${key} is not read`);
  }
  if (uncached !== undefined && flag("cache") !== false && flag("persistent") !== true) {
    notes.push(`${file}: ${at} is not cached: ${uncached}`);
  }
  const cache = uncached === undefined ? flag("cache") : false;
  const persistent = flag("persistent");
  return {
    dependsOn,
    ...(outputs === undefined || uncached !== undefined ? {} : { outputs }),
    ...(inputs === undefined || uncached !== undefined ? {} : { inputs }),
    ...(env.length === 0 || uncached !== undefined ? {} : { env }),
    ...(cache === undefined ? {} : { cache }),
    ...(persistent === undefined ? {} : { persistent }),
  };
}

const known = new Set([
  "dependsOn",
  "outputs",
  "inputs",
  "env",
  "passThroughEnv",
  "cache",
  "persistent",
  "dotEnv",
  ...unread,
]);

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Inside the package: no `../`, no `/x`, no `$TURBO_ROOT$`. */
const inPackage = (glob: string): boolean => isInside(glob) && !glob.includes("$TURBO_ROOT$");

/**
 * An input parex hashes: in the package, `$root/` and a glob inside the workspace root, or
 * `../` globs, which withParentInputs reads as the root's for each package.
 */
const isReadable = (glob: string): boolean =>
  (isInputGlob(glob) || isParentGlob(glob)) && !glob.includes("$TURBO_ROOT$");

const isName = (name: string): boolean => /^[A-Za-z_]\w*$/.test(name);

/** The error for a field of another tool's file that parex cannot read at all. */
export function invalid(file: string, path: string, expected: string, value: unknown): ParexError {
  return new ParexError(
    "INVALID_CONFIG",
    `Invalid task rules ${location(path, file)}: expected ${expected}, got ${describeValue(value)}. Fix it there, or give parex a pipeline of its own (docs/cache.md).`,
  );
}
