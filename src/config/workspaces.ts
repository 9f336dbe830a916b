import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ParexError } from "../core/index.js";
import { readJson } from "./read-file.js";

/** A package of an npm, yarn or pnpm workspace. */
export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  readonly scripts: Readonly<Record<string, string>>;
  /**
   * Names of the packages it depends on, of every kind (dev, peer and optional included), an
   * alias (`"ui": "workspace:@app/ui@*"`) by the package it stands for.
   */
  readonly dependencies: readonly string[];
  /** The fields of its package.json that npm passes to its scripts: name, version, config, engines, bin. */
  readonly manifest: Readonly<Record<string, unknown>>;
}

/**
 * How one script runs across the workspace (a pipeline entry, keyed `build` or `pkg#build`):
 * what it waits for, and how the task cache treats it.
 */
export interface PipelineEntry {
  /** `^build`: the build of every workspace package it depends on; `build`: its own; `pkg#task`. */
  readonly dependsOn?: readonly string[];
  /** Globs of the files it writes, relative to the package (`!` excludes). Default: none, only its log is replayed. */
  readonly outputs?: readonly string[];
  /**
   * Globs of the files it reads, relative to the package; `$root/` globs are relative to the
   * workspace root. Default: every file of the package but the outputs.
   */
  readonly inputs?: readonly string[];
  /**
   * Globs of the files it reads in every workspace package its package depends on, directly or
   * not, relative to each (Nx's `^production`). Default: none.
   */
  readonly dependencyInputs?: readonly string[];
  /** Names of the runner's variables whose values are part of its cache key (as turbo writes `env`). */
  readonly env?: readonly string[];
  /** false: never cached. Default: cached. */
  readonly cache?: boolean;
  /** A long-running task (turbo's `persistent`, a dev server): never cached. */
  readonly persistent?: boolean;
  /**
   * What the task runs when the workspace defines it as a command of its own (Nx's
   * `nx:run-commands` target of a project) rather than as the package's script. Only in an
   * entry `pkg#task`: the package then has the task whether it has the script or not.
   */
  readonly command?: EntryCommand;
}

/** A shell command a workspace defines itself rather than as a package script. */
export interface EntryCommand {
  /** What `sh -c` runs. */
  readonly shell: string;
  /** Where: relative to the workspace root (`.` for the root itself), or absolute. */
  readonly cwd: string;
  /** Variables it sets. */
  readonly env?: Readonly<Record<string, string>>;
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
    packages.push({
      name,
      dir,
      scripts: scriptsOf(manifest),
      dependencies: dependenciesOf(manifest),
      // Only what scripts see: a large package.json is not kept whole for every package.
      manifest: Object.fromEntries(scriptFields.map((field) => [field, manifest[field]])),
    });
  }
  // By code point: localeCompare's first call sets up ICU's collator, 8 ms of a run's start.
  return packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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

const scriptFields = ["name", "version", "config", "engines", "bin"];

const dependencyFields = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
];

function dependenciesOf(manifest: Record<string, unknown>): string[] {
  const names = dependencyFields.flatMap((field) => {
    const declared = manifest[field];
    if (typeof declared !== "object" || declared === null) return [];
    return Object.entries(declared as Record<string, unknown>).map(([name, spec]) => {
      // pnpm and yarn 2+ alias a workspace package under another name: "workspace:<name>@<range>".
      const alias = typeof spec === "string" ? /^workspace:(@?[^@]+)@/.exec(spec)?.[1] : undefined;
      return alias ?? name;
    });
  });
  return [...new Set(names)];
}

/** The string-valued scripts: anything else in `scripts` is not a command npm could run. */
function scriptsOf(manifest: Record<string, unknown>): Record<string, string> {
  const scripts = manifest["scripts"];
  if (typeof scripts !== "object" || scripts === null) return {};
  return Object.fromEntries(
    Object.entries(scripts).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

function clean(pattern: string): string {
  return pattern.replace(/^\.\//, "").replace(/\/$/, "");
}
