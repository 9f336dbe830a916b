import { relative, resolve, sep } from "node:path";
import type { CacheSpec, Command, TaskSpec } from "../core/index.js";
import type { PackageManager } from "./package-manager.js";
import { packageScript, workspaceCommand } from "./package-script.js";
import { splitInputs } from "./root-globs.js";
import type { EntryCommand, PipelineEntry, WorkspacePackage } from "./workspaces.js";

/** What {@link workspaceTasks} turns into tasks. */
export interface WorkspaceTasksOptions {
  readonly packages: readonly WorkspacePackage[];
  readonly pipeline: Readonly<Record<string, PipelineEntry>>;
  /** How the workspace's package manager runs a script (hooks, npm_* variables). */
  readonly manager: PackageManager;
  /** The directory the run was started from (`INIT_CWD`). */
  readonly initCwd: string;
  /** The runner's PATH. Default: `process.env.PATH`. */
  readonly path?: string;
  /** The workspace root: root globs, and the packages' globs among them, are relative to it. */
  readonly root: string;
  /** Globs of root files in every task's key (turbo's `globalDependencies`). Default: none. */
  readonly globalInputs?: readonly string[];
}

/**
 * One task `pkg#script` for every package that has a script of the pipeline, under the entry
 * `pkg#script` when there is one, else the entry `script` (a package's own entry replaces the
 * script's, as in turbo.json). In `dependsOn`,
 * `^build` means the build of every workspace package this one depends on, `build` this
 * package's own build, and `pkg#task` that exact task. A package without the script does not
 * break the chain: what its script would have waited for is waited for instead (A → B without
 * a build → C: A's build waits for C's), as turbo, lage and `pnpm -r` order it.
 */
export function workspaceTasks(options: WorkspaceTasksOptions): TaskSpec<Command>[] {
  const byName = new Map(options.packages.map((p) => [p.name, p]));
  const context = {
    manager: options.manager,
    initCwd: options.initCwd,
    path: options.path ?? process.env["PATH"] ?? "",
  };
  const tasks: TaskSpec<Command>[] = [];
  const workspace = {
    byName,
    pipeline: options.pipeline,
    root: options.root,
    globalInputs: options.globalInputs ?? [],
  };
  for (const script of pipelineScripts(options.pipeline)) {
    for (const pkg of options.packages) {
      const rule = ruleOf(pkg, script, workspace);
      if (rule === undefined || !hasTask(pkg, script, workspace)) continue;
      const cache = cacheOf(rule, pkg, workspace);
      const own = ownCommand(pkg, script, workspace);
      const run =
        own === undefined
          ? packageScript(pkg, script, context)
          : workspaceCommand(own.shell, resolve(workspace.root, own.cwd), own.env ?? {}, context);
      tasks.push({
        id: `${pkg.name}#${script}`,
        run: { ...run, ...(cache === undefined ? {} : { cache }) },
        dependsOn: dependencies(pkg, script, workspace),
        group: script,
      });
    }
  }
  return tasks;
}

/** The scripts a pipeline has entries for, `build` of `pkg#build` included, in order. */
export function pipelineScripts(pipeline: Readonly<Record<string, PipelineEntry>>): string[] {
  return [...new Set(Object.keys(pipeline).map((key) => key.slice(key.indexOf("#") + 1)))];
}

/**
 * How the cache treats a workspace task: cached unless its entry says `cache: false` or it is
 * persistent; with no outputs known, a hit replays its log only. Its root files are the
 * global ones, its entry's `$root/` inputs and its dependencies' files (`dependencyInputs`).
 */
function cacheOf(
  rule: PipelineEntry,
  pkg: WorkspacePackage,
  workspace: Workspace,
): CacheSpec | undefined {
  if (rule.cache === false || rule.persistent === true) return undefined;
  const { inputs, rootInputs } = splitInputs(rule.inputs);
  const root = [
    ...new Set([
      ...workspace.globalInputs,
      ...rootInputs,
      ...dependencyGlobs(pkg, rule, workspace),
    ]),
  ];
  return {
    outputs: rule.outputs ?? [],
    ...(inputs === undefined ? {} : { inputs }),
    ...(root.length === 0 ? {} : { rootInputs: root }),
    hashedEnv: rule.env ?? [],
  };
}

/**
 * The entry's `dependencyInputs` in each workspace package `pkg` depends on, directly or not,
 * as globs of the root: `src/**` of packages/lib is `packages/lib/src/**`.
 */
function dependencyGlobs(
  pkg: WorkspacePackage,
  rule: PipelineEntry,
  workspace: Workspace,
): string[] {
  const globs = rule.dependencyInputs ?? [];
  if (globs.length === 0) return [];
  const found = new Map<string, WorkspacePackage>();
  const stack = [pkg];
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    for (const name of at.dependencies) {
      const dependency = workspace.byName.get(name);
      if (dependency === undefined || found.has(name) || dependency === pkg) continue;
      found.set(name, dependency);
      stack.push(dependency);
    }
  }
  return [...found.values()].flatMap((dependency) => {
    const dir = relative(workspace.root, dependency.dir).split(sep).join("/");
    return globs.map((glob) =>
      glob.startsWith("!") ? `!${dir}/${glob.slice(1)}` : `${dir}/${glob}`,
    );
  });
}

/**
 * A package's script is a task when the pipeline has an entry for it; so is a command the
 * package's own entry defines (an Nx project's `nx:run-commands` target), script or not.
 */
function hasTask(pkg: WorkspacePackage, script: string, workspace: Workspace): boolean {
  if (ownCommand(pkg, script, workspace) !== undefined) return true;
  return pkg.scripts[script] !== undefined && ruleOf(pkg, script, workspace) !== undefined;
}

/** The command the entry `pkg#script` defines, if it does. */
function ownCommand(
  pkg: WorkspacePackage,
  script: string,
  workspace: Workspace,
): EntryCommand | undefined {
  return workspace.pipeline[`${pkg.name}#${script}`]?.command;
}

/** The entry `pkg#script`, else `script`. */
function ruleOf(
  pkg: WorkspacePackage,
  script: string,
  workspace: Workspace,
): PipelineEntry | undefined {
  return workspace.pipeline[`${pkg.name}#${script}`] ?? workspace.pipeline[script];
}

interface Workspace {
  readonly byName: ReadonlyMap<string, WorkspacePackage>;
  readonly pipeline: Readonly<Record<string, PipelineEntry>>;
  readonly root: string;
  readonly globalInputs: readonly string[];
}

/**
 * The tasks `pkg#script` waits for: the pipeline's references resolved from the package; where
 * one names a script its package lacks, that script's own references, from that package, in
 * its place, and so on. A task never waits for itself (a package cycle through packages
 * without the script); a cycle of real tasks is left for the graph to report.
 */
function dependencies(pkg: WorkspacePackage, script: string, workspace: Workspace): string[] {
  const found = new Set<string>();
  const seen = new Set([`${pkg.name}#${script}`]);
  const follow = (from: WorkspacePackage, name: string): void => {
    for (const reference of ruleOf(from, name, workspace)?.dependsOn ?? []) {
      for (const target of targets(reference, from, workspace)) {
        if (typeof target === "string") {
          found.add(target);
          continue;
        }
        const id = `${target.pkg.name}#${target.script}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (hasTask(target.pkg, target.script, workspace)) found.add(id);
        else follow(target.pkg, target.script);
      }
    }
  };
  follow(pkg, script);
  return [...found];
}

type Target = string | { readonly pkg: WorkspacePackage; readonly script: string };

/** What one `dependsOn` reference of `from` names: package scripts, or a task id as it is. */
function targets(reference: string, from: WorkspacePackage, workspace: Workspace): Target[] {
  if (reference.startsWith("^")) {
    const script = reference.slice(1);
    return from.dependencies.flatMap((name) => {
      const pkg = workspace.byName.get(name);
      return pkg === undefined ? [] : [{ pkg, script }];
    });
  }
  const hash = reference.indexOf("#");
  if (hash < 0) return [{ pkg: from, script: reference }];
  const pkg = workspace.byName.get(reference.slice(0, hash));
  return pkg === undefined ? [reference] : [{ pkg, script: reference.slice(hash + 1) }];
}
