/**
 * The runners compared, each as the command a user would type in the generated workspace,
 * with its telemetry, daemon, cache and interactive UI off, so every run really runs every
 * task. A peer that is not installed is skipped with a note, never faked.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "./measure.js";
import { root } from "./harness.js";
import type { Workspace } from "./workspace.js";

export interface Runner {
  readonly name: string;
  /** False when the runner only runs a flat list (no dependencies between tasks). */
  readonly dag: boolean;
  /** The version found, or undefined when the runner is not installed. */
  readonly version: () => string | undefined;
  /** Clears what a previous repetition left (stamps, caches), so the next one runs everything. */
  readonly reset: (ws: Workspace) => void;
  readonly command: (ws: Workspace, slots: number) => Command;
  /** Runs once before the measured repetitions (parex warm learns durations here). */
  readonly prepare?: (ws: Workspace, slots: number) => void;
}

const bin = (name: string) => join(root, "bench", "node_modules", ".bin", name);
const peerVersion = (pkg: string) => (): string | undefined => {
  const file = join(root, "bench", "node_modules", pkg, "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
};
const systemVersion = (file: string, args: string[], pattern: RegExp) => (): string | undefined => {
  try {
    return pattern.exec(execFileSync(file, args, { encoding: "utf8" }))?.[1];
  } catch {
    return undefined;
  }
};
const nothing = () => undefined;
const remove = (...paths: string[]) => {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
};
const packages = (ws: Workspace) =>
  readdirSync(join(ws.dir, "packages")).map((p) => join(ws.dir, "packages", p));

const parexCli = join(root, "dist", "bundle", "main.js");
const parexVersion = () =>
  (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const parexRun = (ws: Workspace, slots: number, history: boolean): Command => ({
  argv: [
    process.execPath,
    parexCli,
    "run",
    "build",
    "--workspaces",
    "-j",
    String(slots),
    "--output",
    "none",
    ...(history ? [] : ["--no-history"]),
  ],
  cwd: ws.dir,
});

/** parex with no history: the remaining path counted in tasks. */
export const parexCold: Runner = {
  name: "parex (cold)",
  dag: true,
  version: parexVersion,
  reset: nothing,
  command: (ws, slots) => parexRun(ws, slots, false),
};

/** parex after one run of the same graph: the remaining path in learned durations. */
export const parexWarm: Runner = {
  name: "parex (warm)",
  dag: true,
  version: parexVersion,
  reset: nothing,
  prepare: (ws, slots) => {
    remove(join(ws.dir, ".parex"));
    const c = parexRun(ws, slots, true);
    execFileSync(c.argv[0] ?? "node", c.argv.slice(1), { cwd: c.cwd, stdio: "ignore" });
  },
  command: (ws, slots) => parexRun(ws, slots, true),
};

const quiet = {
  TURBO_TELEMETRY_DISABLED: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
  DO_NOT_TRACK: "1",
  NX_DAEMON: "false",
  NX_NO_CLOUD: "true",
  NX_TUI: "false",
  NX_SKIP_NX_CACHE: "true",
  CI: "true",
};

/**
 * turbo's own binary: node_modules/.bin/turbo is a Node script that starts it, which would
 * add Node's startup to turbo's time and make the script's memory look like turbo's.
 */
export const turboBinary = join(
  root,
  "bench",
  "node_modules",
  "@turbo",
  `${process.platform}-${process.arch === "x64" ? "64" : process.arch}`,
  "bin",
  "turbo",
);

export const turbo: Runner = {
  name: "turbo",
  dag: true,
  version: () => (existsSync(turboBinary) ? peerVersion("turbo")() : undefined),
  reset: (ws) => remove(join(ws.dir, ".turbo")),
  command: (ws, slots) => ({
    argv: [
      turboBinary,
      "run",
      "build",
      `--concurrency=${slots}`,
      "--ui=stream",
      "--log-order=stream",
    ],
    cwd: ws.dir,
    env: quiet,
  }),
};

export const nx: Runner = {
  name: "nx",
  dag: true,
  version: peerVersion("nx"),
  reset: (ws) => remove(join(ws.dir, ".nx")),
  command: (ws, slots) => ({
    argv: [
      bin("nx"),
      "run-many",
      "-t",
      "build",
      `--parallel=${slots}`,
      "--skip-nx-cache",
      "--output-style=static",
    ],
    cwd: ws.dir,
    env: quiet,
  }),
};

export const lage: Runner = {
  name: "lage",
  dag: true,
  version: peerVersion("lage"),
  reset: (ws) => remove(join(ws.dir, "node_modules", ".cache")),
  command: (ws, slots) => ({
    argv: [bin("lage"), "build", "--concurrency", String(slots), "--no-cache"],
    cwd: ws.dir,
    env: quiet,
  }),
};

export const wireit: Runner = {
  name: "wireit",
  dag: true,
  version: peerVersion("wireit"),
  reset: (ws) => remove(join(ws.dir, ".wireit"), ...packages(ws).map((p) => join(p, ".wireit"))),
  command: (ws, slots) => ({
    argv: ["npm", "run", "--silent", "wireit-build"],
    cwd: ws.dir,
    env: { ...quiet, WIREIT_PARALLEL: String(slots), WIREIT_CACHE: "none", WIREIT_LOGGER: "quiet" },
  }),
};

export const make: Runner = {
  name: "make",
  dag: true,
  version: systemVersion("make", ["--version"], /GNU Make (\S+)/),
  reset: nothing,
  command: (ws, slots) => ({ argv: ["make", "-s", "-j", String(slots), "all"], cwd: ws.dir }),
};

export const ninja: Runner = {
  name: "ninja",
  dag: true,
  version: systemVersion("ninja", ["--version"], /(\S+)/),
  reset: (ws) => remove(join(ws.dir, "out"), join(ws.dir, ".ninja_log")),
  command: (ws, slots) => ({ argv: ["ninja", "-j", String(slots)], cwd: ws.dir }),
};

/** The runners of task graphs, in the order tables list them. */
export const dagRunners: readonly Runner[] = [
  parexCold,
  parexWarm,
  turbo,
  nx,
  lage,
  wireit,
  make,
  ninja,
];

/** parex on the workspace's tasks as a config file (no packages involved). */
export const parexFlat: Runner = {
  name: "parex",
  dag: true,
  version: parexVersion,
  reset: nothing,
  command: (ws, slots) => ({
    argv: [
      process.execPath,
      parexCli,
      "run",
      "-c",
      "parex.tasks.json",
      "-j",
      String(slots),
      "--output",
      "none",
      "--no-history",
    ],
    cwd: ws.dir,
  }),
};

export const spawnLoop: Runner = {
  name: "bare Node spawn loop",
  dag: false,
  version: () => process.version,
  reset: nothing,
  command: (ws, slots) => ({
    argv: [
      process.execPath,
      join(root, "bench", "lib", "spawn-loop.mjs"),
      join(ws.dir, "commands.txt"),
      String(slots),
    ],
    cwd: ws.dir,
  }),
};

export const xargs: Runner = {
  name: "xargs -P",
  dag: false,
  version: systemVersion("xargs", ["--version"], /xargs \(GNU findutils\) (\S+)/),
  reset: nothing,
  command: (ws, slots) => ({
    argv: ["sh", "-c", `xargs -P ${slots} -d '\\n' -n 1 sh -c < commands.txt`],
    cwd: ws.dir,
  }),
};

export const gnuParallel: Runner = {
  name: "GNU parallel",
  dag: false,
  version: systemVersion("parallel", ["--version"], /GNU parallel (\S+)/),
  reset: nothing,
  command: (ws, slots) => ({
    argv: ["sh", "-c", `parallel --will-cite -j ${slots} < commands.txt`],
    cwd: ws.dir,
  }),
};

export const concurrently: Runner = {
  name: "concurrently",
  dag: false,
  version: peerVersion("concurrently"),
  reset: nothing,
  command: (ws, slots) => ({
    argv: [
      bin("concurrently"),
      "--max-processes",
      String(slots),
      "--raw",
      ...readFileSync(join(ws.dir, "commands.txt"), "utf8").split("\n").filter(Boolean),
    ],
    cwd: ws.dir,
  }),
};

export const runP: Runner = {
  name: "npm-run-all2 (run-p)",
  dag: false,
  version: peerVersion("npm-run-all2"),
  reset: nothing,
  command: (ws, slots) => ({
    argv: [bin("run-p"), "--silent", "--max-parallel", String(slots), "task:*"],
    cwd: ws.dir,
  }),
};
