/**
 * The task cache against turbo's, Nx's and lage's, on the same generated git repositories:
 * a build of six packages replayed from the cache, one package of 10,000 files hashed (its
 * files' stat data stale in git's index, then fresh), and one file changed in 25 packages
 * (time until the changed package's build starts). Daemons off (CI=true), as in CI. parex
 * runs `build --workspaces` and takes its task rules from the repository's turbo.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmt, markdown, root, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";
import { measure } from "../lib/measure.js";
import type { Command } from "../lib/measure.js";
import * as r from "../lib/runners.js";
import { installed } from "../lib/sample.js";

/** A package of the generated repository: its name and the packages it depends on. */
interface Pkg {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Source files beside src/index.js. */
  readonly extraFiles?: number;
}

interface Repo {
  readonly dir: string;
  readonly packages: readonly Pkg[];
  /** Where builds append "NAME start NANOSECONDS" lines. */
  readonly log: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * A build script: records its start, then copies src/index.js to dist/. Through `sh`, so every
 * runner starts the same process.
 */
const buildScript = `#!/bin/sh
echo "$1 start $(date +%s%N)" >> "$2"
mkdir -p dist && cp src/index.js dist/index.js
`;

/** Writes and commits a repository that turbo, Nx, lage and parex all read as it is. */
function writeRepo(name: string, packages: readonly Pkg[]): Repo {
  const dir = join(root, "bench", ".work", `cache-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = join(dir, "builds.log");
  writeFileSync(join(dir, "build.sh"), buildScript);
  writeFileSync(join(dir, ".gitignore"), "dist\n.parex\n.turbo\n.nx\nnode_modules\nbuilds.log\n");
  writeFileSync(
    join(dir, "package.json"),
    json({
      name: `cache-${name}`,
      private: true,
      packageManager: "npm@11.19.1",
      workspaces: ["packages/*"],
    }),
  );
  for (const pkg of packages) {
    const at = join(dir, "packages", pkg.name);
    mkdirSync(join(at, "src"), { recursive: true });
    writeFileSync(join(at, "src", "index.js"), `export const name = "${pkg.name}";\n`);
    for (let i = 0; i < (pkg.extraFiles ?? 0); i++) {
      const sub = join(at, "src", `d${Math.floor(i / 100)}`);
      if (i % 100 === 0) mkdirSync(sub);
      writeFileSync(join(sub, `f${i}.js`), `export const f${i} = ${i};\n`);
    }
    writeFileSync(
      join(at, "package.json"),
      json({
        name: pkg.name,
        version: "1.0.0",
        private: true,
        dependencies: Object.fromEntries(pkg.dependsOn.map((d) => [d, "1.0.0"])),
        scripts: { build: `sh ../../build.sh ${pkg.name} ${log}` },
      }),
    );
  }
  writeFileSync(
    join(dir, "package-lock.json"),
    json({
      name: `cache-${name}`,
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: `cache-${name}`, workspaces: ["packages/*"] },
        ...Object.fromEntries(
          packages.flatMap((p) => [
            [`node_modules/${p.name}`, { resolved: `packages/${p.name}`, link: true }],
            [`packages/${p.name}`, { version: "1.0.0" }],
          ]),
        ),
      },
    }),
  );
  writeFileSync(
    join(dir, "turbo.json"),
    json({
      ui: "stream",
      envMode: "loose",
      tasks: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } },
    }),
  );
  writeFileSync(
    join(dir, "nx.json"),
    json({
      analytics: false,
      targetDefaults: {
        build: { dependsOn: ["^build"], outputs: ["{projectRoot}/dist"], cache: true },
      },
    }),
  );
  writeFileSync(
    join(dir, "lage.config.js"),
    `module.exports = { pipeline: { build: ["^build"] }, npmClient: "npm", cacheOptions: { outputGlob: ["dist/**"] } };\n`,
  );
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "init");
  return { dir, packages, log };
}

const quiet = {
  TURBO_TELEMETRY_DISABLED: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
  DO_NOT_TRACK: "1",
  NX_DAEMON: "false",
  NX_NO_CLOUD: "true",
  NX_TUI: "false",
  CI: "true",
};

interface CacheRunner {
  readonly name: string;
  readonly peer: r.Runner;
  readonly command: (repo: Repo) => Command;
  /** Whether the output of a run says every task was restored. */
  readonly allHits?: (output: string, repo: Repo) => boolean;
}

const bin = (name: string): string => join(root, "bench", "node_modules", ".bin", name);

/** turbo run through `executable`: its binary, or the command npm installs. */
function turboRunner(name: string, executable: string): CacheRunner {
  return {
    name,
    peer: r.turbo,
    command: (repo) => ({
      argv: [executable, "run", "build", "--ui=stream", "--log-order=stream"],
      cwd: repo.dir,
      env: quiet,
    }),
    allHits: (output) => output.includes("FULL TURBO"),
  };
}

const runners: readonly CacheRunner[] = [
  {
    name: "parex",
    peer: r.parexWarm,
    command: (repo) => ({
      argv: [
        process.execPath,
        join(root, "dist", "bundle", "main.js"),
        "run",
        "build",
        "--workspaces",
        "--json",
      ],
      cwd: repo.dir,
    }),
    allHits: (output, repo) => output.includes(`"hits": ${repo.packages.length},`),
  },
  turboRunner("turbo", r.turboBinary),
  // What `npx turbo`, a package script or an npm-installed `turbo` runs: turbo's Node wrapper,
  // which starts the native binary. The row above is the binary alone.
  turboRunner("turbo (npm bin)", bin("turbo")),
  {
    name: "nx",
    peer: r.nx,
    command: (repo) => ({
      argv: [bin("nx"), "run-many", "-t", "build", "--output-style=static"],
      cwd: repo.dir,
      env: quiet,
    }),
  },
  {
    name: "lage",
    peer: r.lage,
    command: (repo) => ({ argv: [bin("lage"), "build"], cwd: repo.dir, env: quiet }),
  },
];

/** Runs `command` to the end; throws with its output when it fails. */
async function run(command: Command): Promise<{ seconds: number; output: string }> {
  const result = await measure(command);
  if (result.exitCode !== 0) {
    throw new Error(`${command.argv.join(" ")} exited ${result.exitCode}:\n${result.output}`);
  }
  return result;
}

/** Each runner's cache emptied, then one run to fill it. */
async function prime(repo: Repo, list: readonly CacheRunner[]): Promise<void> {
  rmSync(join(repo.dir, ".parex"), { recursive: true, force: true });
  rmSync(join(repo.dir, ".turbo"), { recursive: true, force: true });
  rmSync(join(repo.dir, ".nx"), { recursive: true, force: true });
  rmSync(join(repo.dir, "node_modules", ".cache"), { recursive: true, force: true });
  for (const runner of list) await run(runner.command(repo));
}

/** A chain of depth 4 over six packages: a; b, c after a; d after b; e after c; f after d and e. */
const six: Pkg[] = [
  { name: "a", dependsOn: [] },
  { name: "b", dependsOn: ["a"] },
  { name: "c", dependsOn: ["a"] },
  { name: "d", dependsOn: ["b"] },
  { name: "e", dependsOn: ["c"] },
  { name: "f", dependsOn: ["d", "e"] },
];

/** 25 packages in five layers of five, each after two of the layer below. */
const twentyFive: Pkg[] = Array.from({ length: 25 }, (_, i) => ({
  name: `p${String(i).padStart(2, "0")}`,
  dependsOn:
    i < 5
      ? []
      : [i - 5, i - 4 - (i % 5 === 4 ? 5 : 0)].map((d) => `p${String(d).padStart(2, "0")}`),
}));

/** Sets every file under `dir` to a new mtime: git's index no longer vouches for any of them. */
function touchAll(repo: Repo): void {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: repo.dir, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "");
  const now = new Date();
  for (const file of files) utimesSync(join(repo.dir, file), now, now);
}

/** The first build start logged after `since` (ns), in seconds after it. */
function firstStart(repo: Repo, since: bigint): number {
  let text: string;
  try {
    text = readFileSync(repo.log, "utf8");
  } catch {
    return Number.NaN;
  }
  const starts = text
    .trim()
    .split("\n")
    .map((line) => BigInt(line.split(" ")[2] ?? "0"))
    .filter((at) => at >= since);
  if (starts.length === 0) return Number.NaN;
  const first = starts.reduce((a, b) => (a < b ? a : b));
  return Number(first - since) / 1e9;
}

export async function cache(quick: boolean): Promise<ScenarioResult> {
  const reps = quick ? 1 : 7;
  const { available, note } = installed(runners.map((x) => x.peer));
  const list = runners.filter((x) => available.includes(x.peer));
  const rows: (string | number)[][] = [];
  const medians = new Map<string, number>();
  const add = (name: string, runner: string, values: number[]): void => {
    const s = stats(values);
    medians.set(`${name}/${runner}`, s.median);
    rows.push([name, runner, spread(s, 3)]);
  };
  const notes = [note];

  // 1. Six packages, every task a hit: outputs in place, as after `build` with no change.
  const replay = writeRepo("six", six);
  await prime(replay, list);
  const replays = new Map(list.map((x) => [x.name, [] as number[]]));
  for (let rep = 0; rep < reps; rep++) {
    for (const runner of list) {
      const { seconds, output } = await run(runner.command(replay));
      if (runner.allHits !== undefined && !runner.allHits(output, replay)) {
        throw new Error(`${runner.name} did not replay every task from its cache:\n${output}`);
      }
      replays.get(runner.name)?.push(seconds);
    }
  }
  for (const [name, values] of replays) add("six packages, all cached", name, values);

  // 2. One package of 10,000 files: every file's stat data stale (cold), then as git left it.
  const big = writeRepo("10k", [{ name: "big", dependsOn: [], extraFiles: quick ? 2_000 : 9_999 }]);
  await prime(big, list);
  const cold = new Map(list.map((x) => [x.name, [] as number[]]));
  const warm = new Map(list.map((x) => [x.name, [] as number[]]));
  for (let rep = 0; rep < reps; rep++) {
    for (const runner of list) {
      touchAll(big);
      cold.get(runner.name)?.push((await run(runner.command(big))).seconds);
      execFileSync("git", ["update-index", "-q", "--refresh"], { cwd: big.dir });
      warm.get(runner.name)?.push((await run(runner.command(big))).seconds);
    }
  }
  const files = quick ? "2,000" : "10,000";
  for (const [name, values] of cold)
    add(`one package of ${files} files, stat data stale`, name, values);
  for (const [name, values] of warm)
    add(`one package of ${files} files, index fresh`, name, values);

  // 3. 25 packages: one source file changed in the middle layer; time until its build starts.
  const wide = writeRepo("25", twentyFive);
  await prime(wide, list);
  const changed = "p12";
  const firsts = new Map(list.map((x) => [x.name, [] as number[]]));
  for (let rep = 0; rep < reps; rep++) {
    for (const runner of list) {
      writeFileSync(
        join(wide.dir, "packages", changed, "src", "index.js"),
        `export const name = "${changed}"; // ${runner.name} ${rep} ${Date.now()}\n`,
      );
      // The clock the build script stamps with (date +%s%N), read just before the spawn.
      const before = BigInt(Date.now()) * 1_000_000n;
      await run(runner.command(wide));
      firsts.get(runner.name)?.push(firstStart(wide, before));
    }
  }
  for (const [name, values] of firsts)
    add("25 packages, one file changed: to the first build", name, values);

  const ratio = (name: string, runner: string): string => {
    const ours = medians.get(`${name}/parex`);
    const theirs = medians.get(`${name}/${runner}`);
    return ours === undefined || theirs === undefined ? "—" : `${fmt(ours / theirs, 2)}×`;
  };
  const verdict = (name: string, goal: string): string =>
    `${name}: parex ${fmt(medians.get(`${name}/parex`) ?? Number.NaN, 3)} s; ` +
    `parex/turbo ${ratio(name, "turbo")} (its npm bin: ${ratio(name, "turbo (npm bin)")}), parex/nx ${ratio(name, "nx")}, parex/lage ${ratio(name, "lage")} (${goal})`;
  return {
    title: `The task cache against turbo, Nx and lage (${reps} runs each, interleaved)`,
    command: `npm run bench -- cache${quick ? " --quick" : ""}`,
    table: markdown(["case", "runner", "wall (s), median [min–max]"], rows),
    notes: [
      ...notes,
      "Each runner's cache is filled by one run first. Daemons off (CI=true). Case 2 touches every file before the stale run, and runs `git update-index --refresh` (what `git status` does) before the fresh one. Case 3 writes a new line into one source file of the middle layer before each run and times the spawn of the runner to the start of that package's build (its dependencies are hits).",
    ],
    verdicts: [
      verdict("six packages, all cached", "goal: parex ≤ turbo, well under Nx and lage"),
      verdict(`one package of ${files} files, stat data stale`, "against turbo"),
      verdict(`one package of ${files} files, index fresh`, "against turbo"),
      verdict("25 packages, one file changed: to the first build", "lower is better"),
    ],
  };
}
