/**
 * Memory: the peak RSS of each runner's own process, and of its whole process tree (sampled
 * every 20 ms), on a run of many independent trivial tasks at 2 slots.
 */
import { fmt, markdown, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";
import * as r from "../lib/runners.js";
import { installed, sampleRunners } from "../lib/sample.js";
import { writeWorkspace } from "../lib/workspace.js";

export async function memory(quick: boolean): Promise<ScenarioResult> {
  const size = quick ? 40 : 1000;
  const dag = {
    name: `${size} trivial tasks`,
    slots: 2,
    tasks: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, seconds: 0, dependsOn: [] })),
  };
  const runners = quick
    ? [r.parexFlat, r.turbo, r.make]
    : [r.parexFlat, r.parexCold, r.turbo, r.nx, r.lage, r.wireit, r.make, r.ninja];
  const { available, note } = installed(runners);
  const ws = writeWorkspace(`memory-${size}`, dag, true);
  // One run each: peak RSS barely varies between runs, and Nx alone takes ~10 minutes here.
  const results = await sampleRunners(available, ws, dag.slots, 1);
  const rss = (runner: r.Runner) => stats((results.get(runner) ?? []).map((m) => m.rssMB)).median;
  const rows = [...results].map(([runner, list]) => [
    runner === r.parexCold ? "parex --workspaces" : runner.name,
    fmt(stats(list.map((m) => m.rssMB)).median, 0),
    fmt(stats(list.map((m) => m.treeMB)).median, 0),
    fmt(stats(list.map((m) => m.seconds)).median),
  ]);
  return {
    title: `Memory: ${size} independent trivial tasks at 2 slots (1 run each)`,
    command: `npm run bench -- memory${quick ? " --quick" : ""}`,
    table: markdown(
      [
        "runner",
        "runner's peak RSS (MB)",
        "process tree's peak RSS (MB), sampled",
        "wall (s), one run: indicative",
      ],
      rows,
    ),
    notes: [
      note,
      "The runner's peak RSS is its own process's high-water mark (VmHWM); the tree adds the processes it started (npm, shells, tasks) as sampled every 20 ms.",
    ],
    verdicts: [
      `parex / turbo peak RSS: ${fmt(rss(r.parexFlat), 0)} / ${fmt(rss(r.turbo), 0)} MB = ${fmt(rss(r.parexFlat) / rss(r.turbo))}× (goal ≤ 1)`,
    ],
  };
}
