import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describeValue, location, ParexError } from "../core/index.js";
import { isRecord } from "./config-checks.js";
import { withoutComments } from "./jsonc.js";
import { lageRules, loadLageConfig } from "./lage-rules.js";
import { parseJson } from "./load-config.js";
import { withParentInputs } from "./parent-inputs.js";
import { nxWorkspaceRules } from "./nx-projects.js";
import { toPipeline } from "./pipeline-rules.js";
import { checkGlobalInputs } from "./root-globs.js";
import { turboRules } from "./turbo-rules.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry, WorkspacePackage } from "./workspaces.js";

/** The task rules of a workspace run, and the file they came from. */
export interface TaskRules {
  /** The file, as said to the user: `turbo.json`, `package.json ("parex")`. */
  readonly source: string;
  /** Entries by script or `pkg#script`. */
  readonly pipeline: Readonly<Record<string, PipelineEntry>>;
  /** Globs of root files in every task's key (`globalDependencies`), relative to the root. */
  readonly globalInputs: readonly string[];
  /** What the file says that parex does not follow, a sentence each. */
  readonly notes: readonly string[];
  /**
   * Whether a script the file does not mention still runs, with parex's defaults: true for the
   * files of other tools, which only add rules; false for parex's own pipeline, which lists
   * the scripts that have tasks.
   */
  readonly open: boolean;
  /** Whether such a script is cached: not under nx.json, where only `cache: true` caches. */
  readonly cacheUnlisted: boolean;
}

/** The files task rules are read from at a workspace root, first found first. */
export const taskRuleFiles = [
  "package.json",
  "turbo.json",
  "nx.json",
  "lage.config.js",
  "lage.config.cjs",
  "lage.config.mjs",
] as const;

/** The rule files present at `root` (package.json only with a `"parex"` section), in order. */
export function presentRuleFiles(root: string): string[] {
  return taskRuleFiles.filter((name) =>
    name === "package.json" ? parexSection(root) !== undefined : existsSync(join(root, name)),
  );
}

/**
 * The task rules of the workspace at `root` from `name` (one of {@link taskRuleFiles}); a
 * package's own turbo.json (`"extends": ["//"]`), or under nx.json its project.json and
 * package.json `nx`, adds its `pkg#task` entries.
 */
export async function readTaskRules(
  root: string,
  name: string,
  packages: readonly WorkspacePackage[],
): Promise<TaskRules> {
  if (name === "package.json") {
    return {
      source: 'package.json ("parex")',
      ...packageJsonRules(parexSection(root)),
      notes: [],
      open: false,
      cacheUnlisted: true,
    };
  }
  const file = join(root, name);
  const foreign = (rules: ForeignRules, cacheUnlisted = true): TaskRules => ({
    source: name,
    ...rules,
    open: true,
    cacheUnlisted,
  });
  const workspace = { root, packages };
  if (name === "turbo.json") {
    const rules = withPackageTurbo(turboRules(readJsonc(file, name)), root, packages);
    return foreign(withParentInputs(rules, name, workspace));
  }
  if (name === "nx.json")
    return foreign(nxWorkspaceRules(readJsonc(file, name), root, packages), false);
  return foreign(withParentInputs(lageRules(await loadLageConfig(file), name), name, workspace));
}

function readJsonc(file: string, name: string): unknown {
  return parseJson(withoutComments(readFileSync(file, "utf8")), name);
}

/**
 * Each package's turbo.json: its tasks become `pkg#task` entries over the root's (field by
 * field, as turbo extends them).
 */
function withPackageTurbo(
  rules: ForeignRules,
  root: string,
  packages: readonly WorkspacePackage[],
): ForeignRules {
  const pipeline = { ...rules.pipeline };
  const notes = [...rules.notes];
  for (const pkg of packages) {
    const file = join(pkg.dir, "turbo.json");
    if (!existsSync(file)) continue;
    const name = relative(root, file);
    const own = turboRules(readJsonc(file, name), name);
    notes.push(...own.notes);
    for (const [key, entry] of Object.entries(own.pipeline)) {
      const script = key.slice(key.indexOf("#") + 1);
      pipeline[`${pkg.name}#${script}`] = { ...pipeline[script], ...entry };
    }
  }
  return { ...rules, pipeline, notes };
}

/** The root package.json's `"parex"` section, or undefined. */
function parexSection(root: string): unknown {
  const file = join(root, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> | null)?.["parex"];
  } catch {
    return undefined; // the workspace's discovery says what is wrong with it
  }
}

/** The `"parex"` section: `pipeline`, and the `globalInputs` every task's key counts. */
function packageJsonRules(section: unknown): Pick<TaskRules, "pipeline" | "globalInputs"> {
  const fail = (path: string, message: string): never => {
    throw new ParexError("INVALID_CONFIG", message.replace("@", location(path, "package.json")));
  };
  const fields = ["pipeline", "globalInputs"];
  if (!isRecord(section) || Object.keys(section).some((key) => !fields.includes(key))) {
    fail(
      "parex",
      `Invalid "parex" section @: expected { "pipeline": { ... }, "globalInputs": [...] } and nothing else, got ${describeValue(section)}. Put tasks and settings in parex.config.json.`,
    );
  }
  const { pipeline, globalInputs } = section as Record<string, unknown>;
  return {
    pipeline: toPipeline(pipeline, fail, "parex.pipeline"),
    globalInputs:
      globalInputs === undefined
        ? []
        : checkGlobalInputs(globalInputs, fail, "parex.globalInputs", "the workspace root"),
  };
}
