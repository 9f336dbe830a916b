import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { ParexError } from "../core/index.js";
import { isGlobs, isInside, isRecord } from "./config-checks.js";
import { isParentGlob } from "./root-globs.js";
import { invalid } from "./turbo-rules.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry } from "./workspaces.js";

/**
 * lage's config as a parex pipeline: `pipeline` (`build: ["^build"]`, keys `pkg#task`, or
 * objects with `dependsOn`, `outputs`, `inputs` and `cache`), `cacheOptions.outputGlob` as the
 * outputs of every task that names none, `cacheOptions.environmentGlob` as root files in every
 * task's key, and `cache: false` turning the cache off for all.
 */
export function lageRules(config: unknown, file = "lage.config.js"): ForeignRules {
  if (!isRecord(config)) throw invalid(file, "module.exports", "an object", config);
  const { pipeline, cacheOptions = {}, cache } = config;
  if (!isRecord(pipeline)) throw invalid(file, "pipeline", "an object of tasks", pipeline);
  if (!isRecord(cacheOptions)) throw invalid(file, "cacheOptions", "an object", cacheOptions);
  if (cache !== undefined && typeof cache !== "boolean")
    throw invalid(file, "cache", "true or false", cache);
  const notes: string[] = [];
  if (cacheOptions["cacheKey"] !== undefined)
    notes.push(`${file}: cacheOptions.cacheKey is not read: it does not change a task's key`);
  const globalInputs = environmentGlobs(config, cacheOptions, file);
  const outputGlob = cacheOptions["outputGlob"];
  if (outputGlob !== undefined && !isGlobs(outputGlob))
    throw invalid(file, "cacheOptions.outputGlob", "globs inside the package", outputGlob);
  const entries = Object.entries(pipeline).map(([key, target]): [string, PipelineEntry] => {
    const entry = lageTarget(target, { file, at: `pipeline.${key}`, notes });
    const outputs = entry.outputs ?? (outputGlob as string[] | undefined);
    return [
      key,
      {
        ...entry,
        ...(outputs === undefined ? {} : { outputs }),
        ...(cache === false ? { cache: false } : {}),
      },
    ];
  });
  return { pipeline: Object.fromEntries(entries), globalInputs, notes };
}

/**
 * `cacheOptions.environmentGlob` (lage 2), and `environmentGlob` at the top (lage 1): globs of
 * the root's files in every task's key.
 */
function environmentGlobs(
  config: Record<string, unknown>,
  cacheOptions: Record<string, unknown>,
  file: string,
): string[] {
  const found: string[] = [];
  for (const [at, globs] of [
    ["cacheOptions.environmentGlob", cacheOptions["environmentGlob"]],
    ["environmentGlob", config["environmentGlob"]],
  ] as const) {
    if (globs === undefined) continue;
    if (!isGlobs(globs)) throw invalid(file, at, "globs inside the workspace root", globs);
    found.push(...(globs as string[]));
  }
  return [...new Set(found)];
}

function lageTarget(
  target: unknown,
  { file, at, notes }: { file: string; at: string; notes: string[] },
): PipelineEntry {
  const object = isRecord(target) ? target : { dependsOn: target };
  const dependsOn = object["dependsOn"] ?? [];
  if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === "string"))
    throw invalid(file, at, 'task names like ["^build"], or { "dependsOn": [...] }', target);
  if (object["outputs"] !== undefined && !isGlobs(object["outputs"]))
    throw invalid(file, `${at}.outputs`, "globs inside the package", object["outputs"]);
  const inputs = object["inputs"];
  // `../` inputs are read as the root's for each package (withParentInputs).
  if (inputs !== undefined && !(Array.isArray(inputs) && inputs.every(isInputOrParent)))
    throw invalid(file, `${at}.inputs`, "globs inside the package, or ../ and a glob", inputs);
  if (object["cache"] !== undefined && typeof object["cache"] !== "boolean")
    throw invalid(file, `${at}.cache`, "true or false", object["cache"]);
  for (const key of Object.keys(object)) {
    if (!["dependsOn", "outputs", "inputs", "cache"].includes(key))
      notes.push(`${file}: ${at}.${key} is not read`);
  }
  return {
    dependsOn: dependsOn.map((name: string) => {
      if (!name.startsWith("^^")) return name;
      // ^^build (every transitive dependency's build) orders as ^build does when each build waits for its own.
      notes.push(`${file}: ${at} "${name}" is read as "${name.slice(1)}"`);
      return name.slice(1);
    }),
    ...(object["outputs"] === undefined ? {} : { outputs: object["outputs"] as string[] }),
    ...(object["inputs"] === undefined ? {} : { inputs: object["inputs"] as string[] }),
    ...(object["cache"] === undefined ? {} : { cache: object["cache"] }),
  };
}

const isInputOrParent = (glob: unknown): boolean =>
  isInside(glob) || (typeof glob === "string" && isParentGlob(glob));

/**
 * The object a lage config exports (`module.exports`, or an ESM default export), loaded with
 * `import()`. A config that cannot be loaded, or throws, is an error naming the file.
 */
export async function loadLageConfig(path: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ParexError(
      "CONFIG_SYNTAX",
      `Cannot load ${basename(path)} (the lage config read for task rules): ${message}. Fix it, or give parex a pipeline of its own (docs/cache.md).`,
      { cause: error },
    );
  }
}
