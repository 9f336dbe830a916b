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
import { UsageError } from "./args.js";
import { workspaceTaskIds } from "./workspace-names.js";

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
  const filter = options.filter ?? [];
  if (config !== undefined && !useWorkspaces && filter.length > 0) {
    throw new UsageError(
      `--filter ${filter.join(" ")} selects workspace packages, and this run reads none: add --workspaces, or "workspaces": true to ${basename(config.file)}.`,
    );
  }
  const { specs, names, dir } = useWorkspaces
    ? await withWorkspaces(options, config)
    : { specs: config?.tasks ?? [], names: options.tasks, dir: config?.dir ?? options.cwd };
  const source = file === undefined ? "package.json" : basename(file);
  const graph = buildGraph(selectTasks(specs, names), { source });
  return { config: config ?? { file: join(dir, "package.json"), dir, gates: new Map() }, graph };
}

/** The config's tasks and a task per package script of the pipeline, and the ids the names stand for. */
async function withWorkspaces(
  options: ProjectOptions,
  config: LoadedConfig | undefined,
): Promise<{ specs: TaskSpec<Command>[]; names: string[]; dir: string }> {
  const root = config?.dir ?? findWorkspaceRoot(options.cwd);
  if (root === undefined) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `No workspace root found at or above ${options.cwd}: no package.json with "workspaces" and no pnpm-workspace.yaml.`,
    );
  }
  const pipeline = config?.pipeline ?? zeroConfigPipeline(options.tasks);
  const packages = await discoverWorkspaces(root);
  const manager = detectPackageManager(root);
  const specs = [
    ...(config?.tasks ?? []),
    ...workspaceTasks({ packages, pipeline, manager, initCwd: options.cwd }),
  ];
  const names = await workspaceTaskIds({
    names: options.tasks,
    specs,
    packages,
    filter: options.filter ?? [],
    pipeline,
    pipelineSource: config?.pipeline === undefined ? undefined : basename(config.file),
    root,
  });
  return { specs, names, dir: root };
}

/** Without a pipeline, each script named depends on the same script of the packages it depends on. */
function zeroConfigPipeline(names: readonly string[]): Record<string, PipelineEntry> {
  // `pkg#script` names a script too.
  const scripts = [...new Set(names.map((name) => name.slice(name.indexOf("#") + 1)))];
  if (scripts.length === 0) {
    throw new ParexError(
      "UNKNOWN_TASK",
      "Name the scripts to run in every workspace package, e.g. parex run build test --workspaces.",
    );
  }
  return Object.fromEntries(scripts.map((script) => [script, { dependsOn: [`^${script}`] }]));
}
