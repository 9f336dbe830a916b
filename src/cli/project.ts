import { basename, join } from "node:path";
import { buildGraph, ParexError, selectTasks } from "../core/index.js";
import type { Command, TaskGraph, TaskSpec } from "../core/index.js";
import {
  detectPackageManager,
  discoverWorkspaces,
  findConfig,
  findWorkspaceRoot,
  presentRuleFiles,
  readConfig,
  readTaskRules,
  validateConfig,
  workspaceTasks,
} from "../config/index.js";
import type { LoadedConfig, PipelineEntry, TaskRules, WorkspacePackage } from "../config/index.js";
import { UsageError } from "./args.js";
import { workspaceTaskIds } from "./workspace-names.js";

/** The settings and the graph of the tasks asked for. */
export interface Project {
  /** The config file's settings; absent in a zero-config workspace run. */
  readonly config: Omit<LoadedConfig, "tasks"> & { readonly tasks?: LoadedConfig["tasks"] };
  readonly graph: TaskGraph<Command>;
  /** What a run says once on stderr before it starts: where its task rules came from. */
  readonly notes: readonly string[];
  /** Whether the tasks are workspace packages' scripts (`--workspaces`, or the config says so). */
  readonly workspaces: boolean;
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
  const { specs, names, dir, notes } = useWorkspaces
    ? await withWorkspaces(options, config)
    : {
        specs: config?.tasks ?? [],
        names: options.tasks,
        dir: config?.dir ?? options.cwd,
        notes: [],
      };
  const source = file === undefined ? "package.json" : basename(file);
  const graph = buildGraph(selectTasks(specs, names), { source });
  const settings = config ?? { file: join(dir, "package.json"), dir, gates: new Map() };
  return { config: settings, graph, notes, workspaces: useWorkspaces };
}

/** The config's tasks and a task per package script of the pipeline, and the ids the names stand for. */
async function withWorkspaces(
  options: ProjectOptions,
  config: LoadedConfig | undefined,
): Promise<{ specs: TaskSpec<Command>[]; names: string[]; dir: string; notes: string[] }> {
  const root = config?.dir ?? findWorkspaceRoot(options.cwd);
  if (root === undefined) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `No workspace root found at or above ${options.cwd}: no package.json with "workspaces" and no pnpm-workspace.yaml.`,
    );
  }
  const packages = await discoverWorkspaces(root);
  const { rules, notes } = await taskRules(root, config, packages);
  const pipeline = pipelineOf(rules, options.tasks);
  const manager = detectPackageManager(root);
  // The config's own root files count in every cached task's key, the workspace's too.
  const globalInputs = [...(rules?.globalInputs ?? []), ...(config?.globalInputs ?? [])];
  const specs = [
    ...(config?.tasks ?? []),
    ...workspaceTasks({ packages, pipeline, manager, initCwd: options.cwd, root, globalInputs }),
  ];
  const names = await workspaceTaskIds({
    names: options.tasks,
    specs,
    packages,
    filter: options.filter ?? [],
    pipeline,
    pipelineSource: rules?.source,
    root,
  });
  return { specs, names, dir: root, notes };
}

/**
 * The rules of the first source found: the config's pipeline, package.json's `"parex"`,
 * turbo.json, nx.json, lage.config.js; and the notes that say which was read, which were not,
 * and what of it parex does not follow.
 */
async function taskRules(
  root: string,
  config: LoadedConfig | undefined,
  packages: readonly WorkspacePackage[],
): Promise<{ rules: TaskRules | undefined; notes: string[] }> {
  const files = presentRuleFiles(root);
  const said = files.map((name) => (name === "package.json" ? 'package.json ("parex")' : name));
  const rules =
    config?.pipeline !== undefined
      ? ownRules(basename(config.file), config.pipeline)
      : files[0] === undefined
        ? undefined
        : await readTaskRules(root, files[0], packages);
  if (rules === undefined) return { rules, notes: [] };
  const unread = said.filter((name) => name !== rules.source);
  const also =
    unread.length === 0
      ? ""
      : ` (not read: ${unread.join(", ")}; only the first of parex's config, package.json "parex", turbo.json, nx.json and lage.config.js is)`;
  return { rules, notes: [`task rules from ${rules.source}${also}`, ...rules.notes] };
}

function ownRules(source: string, pipeline: Readonly<Record<string, PipelineEntry>>): TaskRules {
  return { source, pipeline, globalInputs: [], notes: [], open: false, cacheUnlisted: true };
}

/**
 * The scripts that get tasks and their rules: a parex pipeline as it is; the files of other
 * tools only add rules to the scripts named, each of which runs even when they do not mention
 * it, as without them.
 */
function pipelineOf(
  rules: TaskRules | undefined,
  names: readonly string[],
): Readonly<Record<string, PipelineEntry>> {
  if (rules === undefined) return zeroConfigPipeline(names);
  if (!rules.open) return rules.pipeline;
  const unlisted = Object.entries(zeroConfigPipeline(names))
    .filter(([script]) => rules.pipeline[script] === undefined)
    .map(([script, entry]): [string, PipelineEntry] => [
      script,
      rules.cacheUnlisted ? entry : { ...entry, cache: false },
    ]);
  return { ...rules.pipeline, ...Object.fromEntries(unlisted) };
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
