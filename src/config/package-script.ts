import { delimiter, dirname, join, posix, resolve, sep } from "node:path";
import type { Command } from "../core/index.js";
import { userAgent } from "./package-manager.js";
import type { PackageManager } from "./package-manager.js";
import type { WorkspacePackage } from "./workspaces.js";

/** What a package script's command and environment depend on besides the package. */
export interface ScriptContext {
  readonly manager: PackageManager;
  /** `INIT_CWD`: the directory the run was started from. */
  readonly initCwd: string;
  /** The runner's PATH; the `node_modules/.bin` directories go before it. */
  readonly path: string;
}

/**
 * `pkg#script` as its package manager would run it, without spawning the package manager (a
 * quarter of a second per task): the script through `sh -c` in the package directory, its
 * `pre`/`post` hooks before and after it in the same process group when the manager runs them
 * (a failing hook stops there, as npm does), and the variables npm sets for a script.
 */
export function packageScript(
  pkg: WorkspacePackage,
  script: string,
  context: ScriptContext,
): Command {
  const phases = context.manager.runsHooks
    ? [`pre${script}`, script, `post${script}`].filter((name) => pkg.scripts[name] !== undefined)
    : [script];
  return {
    command: phases.length === 1 ? (pkg.scripts[script] ?? "") : chain(phases, pkg.scripts),
    cwd: pkg.dir,
    env: scriptEnv(pkg, script, context),
    unkeyedEnv: locationEnv,
  };
}

/**
 * A shell command the workspace defines itself (Nx's `nx:run-commands`), run in `dir` with the
 * `node_modules/.bin` directories of `dir` and its parents first on PATH, as a script has them,
 * and the variables `env` on top.
 */
export function workspaceCommand(
  shell: string,
  dir: string,
  env: Readonly<Record<string, string>>,
  context: ScriptContext,
): Command {
  const shared = sharedBy(context);
  return {
    command: shell,
    cwd: dir,
    env: { PATH: binPath(dir, context.path, shared.paths), ...shared.env, ...env },
    unkeyedEnv: locationEnv,
  };
}

/**
 * The variables of a script that say where and with what it runs, not what it does: absolute
 * paths (where the run started, this machine's PATH and node) and the package manager's user
 * agent (its version, Node's, the OS and CPU). A script's cache key holds from any directory,
 * clone and machine without them, and a distributed worker on another machine runs the task
 * the coordinator defines.
 */
const locationEnv = [
  "INIT_CWD",
  "PATH",
  "NODE",
  "npm_node_execpath",
  "npm_execpath",
  "npm_package_json",
  "npm_config_user_agent",
];

/**
 * One shell running each phase in a shell of its own, as npm does, with npm_lifecycle_event and
 * npm_lifecycle_script set for it; the first that fails ends the chain with its exit status.
 */
function chain(phases: readonly string[], scripts: Readonly<Record<string, string>>): string {
  return phases
    .map((phase, i) => {
      const lifecycle = `export npm_lifecycle_event=${quote(phase)} npm_lifecycle_script=${quote(scripts[phase] ?? "")}`;
      const run =
        i === phases.length - 1
          ? `exec sh -c "$npm_lifecycle_script"`
          : `sh -c "$npm_lifecycle_script" || exit`;
      return `${lifecycle}\n${run}`;
    })
    .join("\n");
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The variables `npm run` sets for a script (npm RFC 183 and @npmcli/run-script), so that scripts
 * reading them behave as under npm; npm's own configuration (npm_config_*) is not exported.
 */
function scriptEnv(
  pkg: WorkspacePackage,
  script: string,
  context: ScriptContext,
): Record<string, string> {
  const shared = sharedBy(context);
  const env: Record<string, string> = { PATH: binPath(pkg.dir, context.path, shared.paths) };
  Object.assign(env, shared.env);
  env["npm_package_json"] = `${pkg.dir}${sep}package.json`;
  addPackageEnv(env, pkg.manifest);
  env["npm_lifecycle_event"] = script;
  env["npm_lifecycle_script"] = pkg.scripts[script] ?? "";
  return env;
}

interface Shared {
  /** The variables that are the same for every script. */
  readonly env: Readonly<Record<string, string>>;
  /** PATH by directory: packages share their parent directories' part of it. */
  readonly paths: Map<string, string>;
}

/** Computed once per context, not once per script: 1,000 packages are 1,000 scripts or more. */
const shared = new WeakMap<ScriptContext, Shared>();

function sharedBy(context: ScriptContext): Shared {
  const known = shared.get(context);
  if (known !== undefined) return known;
  const { execPath } = context.manager;
  const agent = userAgent(context.manager);
  const created = {
    env: {
      INIT_CWD: context.initCwd,
      NODE: process.execPath,
      npm_node_execpath: process.execPath,
      ...(execPath === undefined ? {} : { npm_execpath: execPath }),
      ...(agent === undefined ? {} : { npm_config_user_agent: agent }),
    },
    paths: new Map<string, string>(),
  };
  shared.set(context, created);
  return created;
}

/** `node_modules/.bin` of the package directory and of every directory above it, then PATH: npm's order. */
function binPath(dir: string, path: string, paths: Map<string, string>): string {
  const walk = (at: string): string => {
    const known = paths.get(at);
    if (known !== undefined) return known;
    const parent = dirname(at);
    const rest = parent === at ? path : walk(parent);
    const bin = join(at, "node_modules", ".bin");
    const value = rest === "" ? bin : `${bin}${delimiter}${rest}`;
    paths.set(at, value);
    return value;
  };
  return walk(resolve(dir));
}

/** npm_package_{name,version,config_*,engines_*,bin_*}, flattened as npm flattens them. */
function addPackageEnv(
  env: Record<string, string>,
  manifest: Readonly<Record<string, unknown>>,
): void {
  const add = (key: string, value: unknown): void => {
    if (value === null || value === false) env[key] = "";
    else if (typeof value === "string" || typeof value === "number" || value === true) {
      env[key] = String(value);
    } else if (Array.isArray(value)) value.forEach((item, i) => add(`${key}_${i}`, item));
    else if (typeof value === "object") {
      for (const [name, item] of Object.entries(value)) add(`${key}_${name}`, item);
    }
  };
  add("npm_package_name", manifest["name"]);
  add("npm_package_version", manifest["version"]);
  add("npm_package_config", manifest["config"]);
  add("npm_package_engines", manifest["engines"]);
  if (manifest["bin"] !== undefined) add("npm_package_bin", bins(manifest));
}

/** `bin` as npm normalises it: a string is one command named after the unscoped package; paths lose `./`. */
function bins(manifest: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const { name, bin } = manifest;
  const entries: [string, unknown][] =
    typeof bin === "string" && typeof name === "string"
      ? [[name.replace(/^@[^/]+\//, ""), bin]]
      : typeof bin === "object" && bin !== null
        ? Object.entries(bin)
        : [];
  const normal = entries
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([command, file]): [string, string] => [command, posix.join("/", file).slice(1)]);
  return normal.length === 0 ? undefined : Object.fromEntries(normal);
}
