// What reading files at the root costs a run's keys: `node --import tsx scripts/root-inputs-cost.ts`.
// A git repository of 25 packages of 400 files (10,000 files), package N depending on every
// package before it, one test task per package. Prints the time to take the 25 keys (5 runs,
// sorted) with no root inputs, with one root file each (turbo's globalDependencies), and with
// one root file and the files of every package it depends on (Nx's ^production: 2 globs per
// package); then the time to test those 49 globs over the 10,000 paths for the 25 tasks, one
// regular expression per glob and as one alternation (what input-digest.ts does). Used for the
// figures in docs/cache.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import picomatch from "picomatch";
import { TaskKeys } from "../src/cache/index.js";
import { inputFilter } from "../src/cache/input-digest.js";
import { buildGraph } from "../src/core/index.js";
import type { Command, TaskSpec } from "../src/core/index.js";

const packages = 25;
const filesEach = 400;
const root = mkdtempSync(join(tmpdir(), "parex-root-inputs-"));
const paths: string[] = [];
for (let p = 0; p < packages; p++) {
  for (let f = 0; f < filesEach; f++) {
    const path = `packages/p${p}/src/d${f % 10}/f${f}${f % 5 === 0 ? ".spec" : ""}.ts`;
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), `export const x = ${p * filesEach + f};\n`);
    paths.push(path);
  }
}
writeFileSync(join(root, "tsconfig.base.json"), "{}\n");
const git = (...args: string[]) => execFileSync("git", args, { cwd: root });
git("init", "-q");
git("add", ".");
git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "files");

type Mode = "none" | "global" | "dependencies";

/** The root globs of package `p`'s task. */
function rootGlobs(p: number, mode: Mode): string[] {
  if (mode === "none") return [];
  const upstream = Array.from({ length: p }, (_, j) => `packages/p${j}`);
  const own = mode === "global" ? [] : upstream.flatMap((d) => [`${d}/**/*`, `!${d}/**/*.spec.ts`]);
  return ["tsconfig.base.json", ...own];
}

async function keysMs(mode: Mode): Promise<number> {
  const specs: TaskSpec<Command>[] = Array.from({ length: packages }, (_, p) => {
    const rootInputs = rootGlobs(p, mode);
    return {
      id: `p${p}#test`,
      run: {
        command: "test",
        cwd: join(root, "packages", `p${p}`),
        cache: { outputs: [], hashedEnv: [], ...(rootInputs.length > 0 ? { rootInputs } : {}) },
      },
    };
  });
  const graph = buildGraph(specs);
  const keys = new TaskKeys(graph, { projectDir: root, env: {} });
  const start = performance.now();
  await Promise.all(graph.tasks.map((task) => keys.of(task.id)));
  return performance.now() - start;
}

const sorted = (times: number[]) =>
  times
    .sort((a, b) => a - b)
    .map(Math.round)
    .join(" ");
const modes: Mode[] = ["none", "global", "dependencies"];
const keyTimes = new Map<Mode, number[]>(modes.map((mode) => [mode, []]));
for (let i = 0; i < 5; i++) for (const mode of modes) keyTimes.get(mode)?.push(await keysMs(mode));
for (const mode of modes)
  console.log(`keys, root inputs ${mode}: ${sorted(keyTimes.get(mode) ?? [])} ms`);

const globs = rootGlobs(packages - 1, "dependencies");
const options = { dot: true, flags: "s" };
const oneByOne = (list: string[]): ((path: string) => boolean) => {
  const regexes = list.map((glob) => picomatch.makeRe(glob, options));
  return (path) => regexes.some((regex) => regex.test(path));
};
const filters = {
  "one regex per glob": () => {
    const included = oneByOne(globs.filter((g) => !g.startsWith("!")));
    const excluded = oneByOne(globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1)));
    return (path: string) => included(path) && !excluded(path);
  },
  "one alternation": () => inputFilter(globs, []),
};
for (const [name, make] of Object.entries(filters)) {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    for (let task = 0; task < packages; task++) paths.filter(make());
    times.push(performance.now() - start);
  }
  console.log(
    `${globs.length} globs over ${paths.length} paths, 25 times, ${name}: ${sorted(times)} ms`,
  );
}
rmSync(root, { recursive: true, force: true });
