import { basename, join } from "node:path";
import { buildGraph, ParexError, selectTasks } from "../core/index.js";
import type { Command, TaskGraph, TaskSpec } from "../core/index.js";
import {
  detectPackageManager,
  discoverWorkspaces,
  findConfig,
  findWorkspaceRoot,
  readConfig,
  validateConfig,
  workspaceTasks,
} from "../config/index.js";
import type { LoadedConfig, PipelineEntry } from "../config/index.js";

/** The settings and the graph of the tasks asked for. */
export interface Project {
  /** The config file's settings; absent in a zero-config workspace run. */
  readonly config: Omit<LoadedConfig, "tasks"> & { readonly tasks?: LoadedConfig["tasks"] };
  readonly graph: TaskGraph<Command>;
}

/** What the command line says about where tasks come from. */
export interface ProjectOptions {
  readonly configFile: string | undefined;
  readonly cwd: string;
  /** Task ids, or (with workspaces) script names run in every package that has them. */
  readonly tasks: readonly string[];
  /** `--workspaces`. */
  readonly workspaces?: boolean;
  /** `--filter`: package names or globs. */
  readonly filter?: readonly string[];
}

/**
 * Finds (or takes) the config, validates it, adds workspace tasks when asked, and builds the
 * graph of the named tasks and everything they depend on.
 */
export async function loadProject(options: ProjectOptions): Promise<Project> {
  const file = options.configFile ?? findConfig(options.cwd);
  const config = file === undefined ? undefined : validateConfig(await readConfig(file), file);
  const useWorkspaces = options.workspaces === true || config?.workspaces === true;
  if (config === undefined && !useWorkspaces) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `No parex config found in ${options.cwd} or the directories above it. Create parex.config.json (or .ts, .yaml) with "tasks", or pass --config FILE, or --workspaces to run package scripts.`,
    );
  }
  let specs: TaskSpec<Command>[] = [...(config?.tasks ?? [])];
  let names = [...options.tasks];
  let dir = config?.dir ?? options.cwd;
  if (useWorkspaces) {
    const root = config?.dir ?? findWorkspaceRoot(options.cwd);
    if (root === undefined) {
      throw new ParexError(
        "CONFIG_NOT_FOUND",
        `No workspace root found at or above ${options.cwd}: no package.json with "workspaces" and no pnpm-workspace.yaml.`,
      );
    }
    dir = root;
    const pipeline = config?.pipeline ?? zeroConfigPipeline(names);
    const packages = await discoverWorkspaces(root);
    const manager = detectPackageManager(root);
    specs = [...specs, ...workspaceTasks({ packages, pipeline, manager, initCwd: options.cwd })];
    names = await expandScripts(names, specs, options.filter ?? []);
    if (names.length === 0) {
      throw new ParexError(
        "UNKNOWN_TASK",
        `No workspace package matches --filter ${(options.filter ?? []).join(" ")} with the scripts asked for.`,
      );
    }
  }
  const source = file === undefined ? "package.json" : basename(file);
  const graph = buildGraph(selectTasks(specs, names), { source });
  return { config: config ?? { file: join(dir, "package.json"), dir, gates: new Map() }, graph };
}

/** Without a pipeline, each script named depends on the same script of the packages it depends on. */
function zeroConfigPipeline(names: readonly string[]): Record<string, PipelineEntry> {
  // `pkg#script` names a script too.
  const scripts = [...new Set(names.map((name) => name.slice(name.lastIndexOf("#") + 1)))];
  if (scripts.length === 0) {
    throw new ParexError(
      "UNKNOWN_TASK",
      "Name the scripts to run in every workspace package, e.g. parex run build test --workspaces.",
    );
  }
  return Object.fromEntries(scripts.map((script) => [script, { dependsOn: [`^${script}`] }]));
}

/** `build` → every `pkg#build` (of the filtered packages); exact task ids stay as they are. */
async function expandScripts(
  names: readonly string[],
  specs: readonly TaskSpec[],
  filter: readonly string[],
): Promise<string[]> {
  const { default: picomatch } = await import("picomatch");
  const matches = filter.length === 0 ? () => true : picomatch([...filter]);
  const ids = new Set(specs.map((s) => s.id));
  const wanted =
    names.length > 0
      ? names
      : [
          ...new Set(
            specs.flatMap((s) => (s.id.includes("#") ? [s.id.split("#").pop() ?? ""] : [s.id])),
          ),
        ];
  return wanted.flatMap((name) => {
    const scripts = specs.filter(
      (s) => s.id.endsWith(`#${name}`) && matches(s.id.slice(0, -name.length - 1)),
    );
    if (scripts.length > 0) return scripts.map((s) => s.id);
    return ids.has(name) && filter.length === 0 ? [name] : [];
  });
}
