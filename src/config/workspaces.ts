import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { ParexError } from "../core/index.js";
import type { Command, TaskSpec } from "../core/index.js";

/** A package of an npm, yarn or pnpm workspace. */
export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  readonly scripts: Readonly<Record<string, string>>;
  /** Names of the packages it depends on, of every kind (dev, peer and optional included). */
  readonly dependencies: readonly string[];
}

/** The directory, at or above `from`, that declares workspaces (package.json#workspaces or pnpm-workspace.yaml). */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const manifest = readJson(join(dir, "package.json"));
    if (manifest?.["workspaces"] !== undefined) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The workspace packages under `root`, by the root's package.json `workspaces` or pnpm-workspace.yaml. */
export async function discoverWorkspaces(root: string): Promise<WorkspacePackage[]> {
  const patterns = await workspacePatterns(root);
  const { default: picomatch } = await import("picomatch");
  const include = picomatch(patterns.filter((p) => !p.startsWith("!")).map(clean));
  const exclude = picomatch(
    patterns.filter((p) => p.startsWith("!")).map((p) => clean(p.slice(1))),
  );
  const packages: WorkspacePackage[] = [];
  for (const dir of packageDirs(root)) {
    const path = relative(root, dir);
    if (!include(path) || exclude(path)) continue;
    const manifest = readJson(join(dir, "package.json")) ?? {};
    const name = typeof manifest["name"] === "string" ? manifest["name"] : path;
    const dependencies = [
      "dependencies",
      "devDependencies",
      "peerDependencies",
      "optionalDependencies",
    ].flatMap((field) =>
      Object.keys((manifest[field] as Record<string, unknown> | undefined) ?? {}),
    );
    packages.push({
      name,
      dir,
      scripts: (manifest["scripts"] as Record<string, string> | undefined) ?? {},
      dependencies,
    });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/** How one script runs across the workspace: its dependencies (`^build`, `build`, `pkg#task`). */
export interface PipelineEntry {
  readonly dependsOn?: readonly string[];
}

/**
 * One task `pkg#script` for every package that has a script of the pipeline. In `dependsOn`,
 * `^build` means the build of every workspace package this one depends on, `build` this
 * package's own build, and `pkg#task` that exact task. Scripts run directly through `sh -c` in
 * the package directory with its and the root's `node_modules/.bin` on PATH (not through
 * `npm run`, which costs a quarter of a second per task).
 */
export function workspaceTasks(
  root: string,
  packages: readonly WorkspacePackage[],
  pipeline: Readonly<Record<string, PipelineEntry>>,
): TaskSpec<Command>[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const tasks: TaskSpec<Command>[] = [];
  for (const [script, entry] of Object.entries(pipeline)) {
    for (const pkg of packages) {
      const body = pkg.scripts[script];
      if (body === undefined) continue;
      const dependsOn = (entry.dependsOn ?? []).flatMap((dep) => expand(dep, pkg, byName));
      const path = [
        join(pkg.dir, "node_modules", ".bin"),
        join(root, "node_modules", ".bin"),
        process.env["PATH"] ?? "",
      ];
      tasks.push({
        id: `${pkg.name}#${script}`,
        run: {
          command: body,
          cwd: pkg.dir,
          env: { PATH: path.join(delimiter), npm_package_name: pkg.name },
        },
        dependsOn,
        group: script,
      });
    }
  }
  return tasks;
}

function expand(
  dep: string,
  pkg: WorkspacePackage,
  byName: ReadonlyMap<string, WorkspacePackage>,
): string[] {
  if (dep.startsWith("^")) {
    const script = dep.slice(1);
    return pkg.dependencies
      .map((name) => byName.get(name))
      .filter((p): p is WorkspacePackage => p !== undefined && p.scripts[script] !== undefined)
      .map((p) => `${p.name}#${script}`);
  }
  if (dep.includes("#")) return [dep];
  return pkg.scripts[dep] === undefined ? [] : [`${pkg.name}#${dep}`];
}

async function workspacePatterns(root: string): Promise<string[]> {
  const pnpm = join(root, "pnpm-workspace.yaml");
  if (existsSync(pnpm)) {
    const { parse } = await import("yaml");
    const data = parse(readFileSync(pnpm, "utf8")) as { packages?: unknown } | null;
    if (Array.isArray(data?.packages)) return data.packages.map(String);
  }
  const declared = readJson(join(root, "package.json"))?.["workspaces"];
  const list = Array.isArray(declared)
    ? declared
    : (declared as { packages?: unknown } | undefined)?.packages;
  if (!Array.isArray(list)) {
    throw new ParexError(
      "INVALID_CONFIG",
      `No workspace packages are declared in ${root} (package.json, workspaces). List them, e.g. "workspaces": ["packages/*"], or add pnpm-workspace.yaml.`,
    );
  }
  return list.map(String);
}

/** Directories with a package.json below `root` (not root itself), skipping node_modules and dot-directories. */
function packageDirs(root: string, depth = 5): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    if (level > depth) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith("."))
        continue;
      const child = join(dir, entry.name);
      if (existsSync(join(child, "package.json"))) found.push(child);
      walk(child, level + 1);
    }
  };
  walk(root, 1);
  return found;
}

function clean(pattern: string): string {
  return pattern.replace(/^\.\//, "").replace(/\/$/, "");
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
