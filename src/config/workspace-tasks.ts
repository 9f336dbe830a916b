import type { Command, TaskSpec } from "../core/index.js";
import type { PackageManager } from "./package-manager.js";
import { packageScript } from "./package-script.js";
import type { PipelineEntry, WorkspacePackage } from "./workspaces.js";

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
}

/**
 * One task `pkg#script` for every package that has a script of the pipeline. In `dependsOn`,
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
  for (const script of Object.keys(options.pipeline)) {
    for (const pkg of options.packages) {
      if (pkg.scripts[script] === undefined) continue;
      tasks.push({
        id: `${pkg.name}#${script}`,
        run: packageScript(pkg, script, context),
        dependsOn: dependencies(pkg, script, { byName, pipeline: options.pipeline }),
        group: script,
      });
    }
  }
  return tasks;
}

interface Workspace {
  readonly byName: ReadonlyMap<string, WorkspacePackage>;
  readonly pipeline: Readonly<Record<string, PipelineEntry>>;
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
    for (const reference of workspace.pipeline[name]?.dependsOn ?? []) {
      for (const target of targets(reference, from, workspace)) {
        if (typeof target === "string") {
          found.add(target);
          continue;
        }
        const id = `${target.pkg.name}#${target.script}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (target.pkg.scripts[target.script] !== undefined) found.add(id);
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
