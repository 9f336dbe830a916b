/**
 * The CLI from outside, as a user meets it: wall time and peak RSS of whole `parex run`
 * processes (the built CLI, `node dist/cli/main.js`), measured with /usr/bin/time.
 *   node --import tsx bench/workloads/cli.ts REPS
 * Prints one JSON line per case: startup (one trivial task), a chain of six trivial tasks
 * (depth 4), 1,000 trivial tasks, 100 MB of task output, and `node -e 0` as the floor.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const reps = Number(process.argv[2] ?? "10");
const cli = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function project(tasks: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-bench-cli-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  return dir;
}

/** Runs `argv` `reps` times; wall seconds and max RSS (KB) per run, from /usr/bin/time. */
function measure(argv: string[], cwd: string): { wall: number[]; rssKb: number[] } {
  const wall: number[] = [];
  const rssKb: number[] = [];
  for (let i = 0; i < reps; i++) {
    const result = spawnSync("/usr/bin/time", ["-f", "%e %M", ...argv], {
      cwd,
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const [seconds, kb] = (result.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
    if (result.status !== 0 || seconds === undefined || kb === undefined)
      throw new Error(`${argv.join(" ")} failed: ${result.stderr}`);
    wall.push(seconds);
    rssKb.push(kb);
  }
  return { wall, rssKb };
}

const chain = {
  a: { run: "true" },
  b: { run: "true", dependsOn: ["a"] },
  c: { run: "true", dependsOn: ["b"] },
  d: { run: "true", dependsOn: ["c"] },
  e: { run: "true", dependsOn: ["b"] },
  f: { run: "true", dependsOn: ["a"] },
};
const thousand = Object.fromEntries(
  Array.from({ length: 1000 }, (_, i) => [`t${i}`, { run: "true" }]),
);
const loud = { loud: { run: "head -c 104857600 /dev/zero | tr '\\\\0' 'x' | fold -w 100" } };
const quiet = { quiet: { run: "true" } };
const run = (dir: string, extra: string[] = []) =>
  measure([process.execPath, cli, "run", "--no-history", "--output", "none", ...extra], dir);

execFileSync("sh", ["-c", "command -v /usr/bin/time"]);
const cases: Record<string, () => { wall: number[]; rssKb: number[] }> = {
  "node -e 0": () => measure([process.execPath, "-e", "0"], tmpdir()),
  "one trivial task": () => run(project(quiet)),
  "six trivial tasks, chain of depth 4": () => run(project(chain)),
  "1,000 trivial tasks": () => run(project(thousand)),
  "1,000 trivial tasks, with history": () =>
    measure([process.execPath, cli, "run", "--output", "none"], project(thousand)),
  "one task printing 100 MB (streamed)": () =>
    measure([process.execPath, cli, "run", "--no-history", "--output", "stream"], project(loud)),
  "one quiet task (streamed), for the 100 MB comparison": () =>
    measure([process.execPath, cli, "run", "--no-history", "--output", "stream"], project(quiet)),
};
for (const [name, measureCase] of Object.entries(cases)) {
  const { wall, rssKb } = measureCase();
  console.log(JSON.stringify({ case: name, wall, rssKb }));
}
