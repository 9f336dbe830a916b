import { describeValue } from "../core/index.js";
import { hint, isRecord, isVariable } from "./config-checks.js";
import type { Fail } from "./config-checks.js";
import { isInputGlobs, isOwnGlobs } from "./root-globs.js";
import type { PipelineEntry } from "./workspaces.js";

const entryFields = ["dependsOn", "outputs", "inputs", "env", "cache"];

const isStrings = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** What each field of an entry takes, as said when it holds something else. */
const expected: Readonly<Record<string, readonly [string, (value: unknown) => boolean]>> = {
  dependsOn: ['task names like "^build", "build" or "pkg#build"', isStrings],
  outputs: ["an array of globs inside the package (no .., / nor $root/)", isOwnGlobs],
  inputs: [
    "an array of globs inside the package (no .. nor /), or $root/ and a glob of the workspace root",
    isInputGlobs,
  ],
  env: ["an array of variable names", (v) => Array.isArray(v) && v.every(isVariable)],
  cache: ["true or false", (v) => typeof v === "boolean"],
};

/**
 * A parex `pipeline` (in a config file, or package.json's `"parex"` section): script names, or
 * an object of `script` or `pkg#script` → { dependsOn, outputs, inputs, env, cache }, where
 * `inputs` may name root files as `$root/…`. `at` is where it sits in its file, for messages.
 */
export function toPipeline(
  pipeline: unknown,
  fail: Fail,
  at = "pipeline",
): Record<string, PipelineEntry> {
  if (Array.isArray(pipeline) && pipeline.every((s) => typeof s === "string")) {
    return Object.fromEntries(
      pipeline.map((script: string) => [script, { dependsOn: [`^${script}`] }]),
    );
  }
  if (!isRecord(pipeline)) {
    return fail(
      at,
      `Invalid pipeline @: expected script names, or an object like { "build": { "dependsOn": ["^build"] } }, got ${describeValue(pipeline)}.`,
    );
  }
  return Object.fromEntries(
    Object.entries(pipeline).map(([script, entry]) => [
      script,
      toEntry(script, entry, { fail, at: `${at}.${script}` }),
    ]),
  );
}

function toEntry(
  script: string,
  entry: unknown,
  { fail, at }: { fail: Fail; at: string },
): PipelineEntry {
  if (!isRecord(entry)) {
    return fail(
      at,
      `Invalid pipeline entry "${script}" @: expected { "dependsOn": ["^${script}", ...] }, got ${describeValue(entry)}.`,
    );
  }
  for (const [key, value] of Object.entries(entry)) {
    const rule = expected[key];
    if (rule === undefined) {
      fail(
        `${at}.${key}`,
        `Invalid pipeline entry "${script}" @: unknown field "${key}".${hint(key, entryFields)}`,
      );
    } else if (!rule[1](value)) {
      fail(
        `${at}.${key}`,
        `Invalid pipeline entry "${script}" @: expected ${key} to be ${rule[0]}, got ${describeValue(value)}.`,
      );
    }
  }
  return { ...(entry as PipelineEntry), dependsOn: (entry["dependsOn"] ?? []) as string[] };
}
