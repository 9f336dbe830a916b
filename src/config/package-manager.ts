import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { readJson, readText } from "./read-file.js";

/** The package managers whose workspaces parex reads. */
export type PackageManagerName = "npm" | "pnpm" | "yarn";

/** The package manager a workspace uses, as far as it shapes how one of its scripts runs. */
export interface PackageManager {
  readonly name: PackageManagerName;
  /** Its version, from package.json#packageManager or the CLI found on PATH; absent when neither says. */
  readonly version?: string;
  /** Whether `run build` also runs `prebuild` before and `postbuild` after. */
  readonly runsHooks: boolean;
  /** Its CLI's script (`npm_execpath`), when found on PATH. */
  readonly execPath?: string;
}

/** Where detection looks besides the workspace root; tests pass their own. */
export interface DetectOptions {
  /** Directories searched for the CLI, as in PATH. Default: `process.env.PATH`. */
  readonly path?: string;
}

/**
 * The package manager of the workspace at `root`, found as the package managers themselves and
 * corepack find it: package.json#packageManager first, then the lockfile, then
 * pnpm-workspace.yaml; npm when nothing says otherwise. Reads a few small files; never spawns.
 */
export function detectPackageManager(root: string, options: DetectOptions = {}): PackageManager {
  const declared = declaredManager(root);
  const name = declared?.name ?? managerFromFiles(root);
  const execPath = findCli(name, options.path ?? process.env["PATH"] ?? "");
  const onPath = execPath === undefined ? undefined : cliVersion(execPath);
  const version = declared?.version ?? onPath;
  return {
    name,
    ...(version === undefined ? {} : { version }),
    runsHooks: runsHooks(root, name, { declared: declared?.version, onPath }),
    ...(execPath === undefined ? {} : { execPath }),
  };
}

/** `npm_config_user_agent` as the package manager sets it for a script, when its version is known. */
export function userAgent(manager: PackageManager): string | undefined {
  if (manager.version === undefined) return undefined;
  const node = `node/${process.version} ${process.platform} ${process.arch}`;
  return manager.name === "npm"
    ? `npm/${manager.version} ${node} workspaces/true`
    : `${manager.name}/${manager.version} npm/? ${node}`;
}

function declaredManager(root: string): { name: PackageManagerName; version: string } | undefined {
  const field = readJson(join(root, "package.json"))?.["packageManager"];
  const match = typeof field === "string" ? /^(npm|pnpm|yarn)@(\d[^+\s]*)/.exec(field) : null;
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { name: match[1] as PackageManagerName, version: match[2] };
}

function managerFromFiles(root: string): PackageManagerName {
  if (existsSync(join(root, "pnpm-lock.yaml"))) return "pnpm";
  if (existsSync(join(root, "yarn.lock"))) return "yarn";
  if (existsSync(join(root, "package-lock.json"))) return "npm";
  if (existsSync(join(root, "npm-shrinkwrap.json"))) return "npm";
  return existsSync(join(root, "pnpm-workspace.yaml")) ? "pnpm" : "npm";
}

/** What says which version runs: package.json#packageManager (corepack runs that one), or the CLI on PATH. */
interface Versions {
  readonly declared: string | undefined;
  readonly onPath: string | undefined;
}

/**
 * npm and yarn 1 run pre/post hooks (npm not with ignore-scripts); yarn 2+ never does; pnpm 6
 * to 8 only with enable-pre-post-scripts=true, pnpm 9+ unless it is false (pnpm/pnpm#7634).
 */
function runsHooks(root: string, name: PackageManagerName, versions: Versions): boolean {
  const major = (version: string | undefined) =>
    version === undefined ? undefined : Number.parseInt(version, 10);
  const npmrc = readNpmrc(root);
  switch (name) {
    case "npm":
      return npmrc.get("ignore-scripts") !== "true";
    case "yarn": {
      // A global yarn 1 hands a repository with .yarnrc.yml to the yarn 2+ it names.
      const known = major(versions.declared) ?? (isYarnBerry(root) ? 2 : major(versions.onPath));
      return known === undefined || known < 2;
    }
    case "pnpm": {
      const setting = pnpmHooksSetting(root, npmrc);
      if (setting !== undefined) return setting;
      const known =
        major(versions.declared) ?? major(versions.onPath) ?? pnpmMajorFromLockfile(root);
      return known === undefined || known >= 9 || known < 6;
    }
  }
}

function isYarnBerry(root: string): boolean {
  if (existsSync(join(root, ".yarnrc.yml"))) return true;
  return readText(join(root, "yarn.lock"))?.includes("\n__metadata:") === true;
}

function pnpmHooksSetting(root: string, npmrc: ReadonlyMap<string, string>): boolean | undefined {
  const yaml = /^enablePrePostScripts:\s*(true|false)\s*$/m.exec(
    readText(join(root, "pnpm-workspace.yaml")) ?? "",
  )?.[1];
  const value = yaml ?? npmrc.get("enable-pre-post-scripts");
  return value === undefined ? undefined : value === "true";
}

/** pnpm 9+ writes lockfileVersion 9.0; 8 writes 6.x; 6 and 7 write 5.x. */
function pnpmMajorFromLockfile(root: string): number | undefined {
  const match = /^lockfileVersion:\s*['"]?(\d+)/m.exec(
    readText(join(root, "pnpm-lock.yaml")) ?? "",
  );
  if (match?.[1] === undefined) return undefined;
  const lockfile = Number(match[1]);
  return lockfile >= 9 ? lockfile : lockfile === 6 ? 8 : 7;
}

/** The `key=value` settings of the workspace's .npmrc (comments and sections ignored). */
function readNpmrc(root: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of (readText(join(root, ".npmrc")) ?? "").split(/\r?\n/)) {
    const match = /^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) settings.set(match[1], match[2]);
  }
  return settings;
}

/** The real file behind the first executable `name` on PATH: the script its package manager runs. */
function findCli(name: PackageManagerName, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return realpathSync(join(dir, name));
    } catch {
      // not here: the next directory of PATH
    }
  }
  return undefined;
}

/** The version in the package.json of the package the CLI belongs to (bin/npm-cli.js → npm). */
function cliVersion(execPath: string): string | undefined {
  let dir = dirname(execPath);
  for (let level = 0; level < 3; level++, dir = dirname(dir)) {
    const manifest = readJson(join(dir, "package.json"));
    if (manifest === undefined) continue;
    return typeof manifest["version"] === "string" &&
      ["npm", "pnpm", "yarn", "@yarnpkg/cli-dist"].includes(String(manifest["name"]))
      ? manifest["version"]
      : undefined;
  }
  return undefined;
}
