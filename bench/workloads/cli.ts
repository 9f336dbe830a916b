/**
 * The CLI from outside, as a user meets it: wall time and peak RSS of whole `parex run`
 * processes (the built, bundled CLI, `node dist/bundle/main.js`), measured with /usr/bin/time.
 *   node --import tsx bench/workloads/cli.ts REPS
 * Cases are interleaved round by round. Prints one JSON line per case: startup (one trivial task), a chain of six trivial tasks
 * (depth 4), 1,000 trivial tasks, 100 MB of task output, and `node -e 0` as the floor.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const reps = Number(process.argv[2] ?? "10");
const cli = fileURLToPath(new URL("../../dist/bundle/main.js", import.meta.url));

function project(tasks: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-bench-cli-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  return dir;
}

/** A command to measure: `argv` run in `cwd`. */
interface Case {
  readonly argv: string[];
  readonly cwd: string;
}

/** Runs `argv` once; wall seconds and max RSS (KB), from /usr/bin/time. */
function measure({ argv, cwd }: Case): { wall: number; rssKb: number } {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", ...argv], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const [wall, rssKb] = (result.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  if (result.status !== 0 || wall === undefined || rssKb === undefined)
    throw new Error(`${argv.join(" ")} failed: ${result.stderr}`);
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
const run = (dir: string): Case => ({
  argv: [process.execPath, cli, "run", "--no-history", "--output", "none"],
  cwd: dir,
});

execFileSync("sh", ["-c", "command -v /usr/bin/time"]);
const streamed = (dir: string): Case => ({
  argv: [process.execPath, cli, "run", "--no-history", "--output", "stream"],
  cwd: dir,
});
const cases: Record<string, Case> = {
  "node -e 0": { argv: [process.execPath, "-e", "0"], cwd: tmpdir() },
  "one trivial task": run(project(quiet)),
  "six trivial tasks, chain of depth 4": run(project(chain)),
  "1,000 trivial tasks": run(project(thousand)),
  "1,000 trivial tasks, with history": {
    argv: [process.execPath, cli, "run", "--output", "none"],
    cwd: project(thousand),
  },
  "one task printing 100 MB (streamed)": streamed(project(loud)),
  "one quiet task (streamed), for the 100 MB comparison": streamed(project(quiet)),
};
// Round by round, one run of every case: whatever else the machine does drifts over all
// of them alike, which matters most for the with/without history pair.
const results = new Map(
  Object.keys(cases).map((name) => [name, { wall: [] as number[], rssKb: [] as number[] }]),
);
for (let round = 0; round < reps; round++) {
  for (const [name, command] of Object.entries(cases)) {
    const { wall, rssKb } = measure(command);
    results.get(name)?.wall.push(wall);
    results.get(name)?.rssKb.push(rssKb);
  }
}
for (const [name, { wall, rssKb }] of results) {
  console.log(JSON.stringify({ case: name, wall, rssKb }));
}
