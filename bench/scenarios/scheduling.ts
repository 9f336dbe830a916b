/**
 * Scheduling quality with real processes: every runner runs the same generated workspace of
 * sleeping tasks. The makespan comes from the tasks' own start/end stamps (first start to
 * last end), the wall time from outside (spawn to exit); both are compared with the lower
 * bound max(critical path, work / slots).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { chainFirst, layeredDag, longFirst, lowerBound, scaled, sixPackages } from "../lib/dags.js";
import type { BenchDag } from "../lib/dags.js";
import { fmt, markdown, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";
import { measure } from "../lib/measure.js";
import { dagRunners, parexCold, parexWarm } from "../lib/runners.js";
import type { Runner } from "../lib/runners.js";
import { writeWorkspace } from "../lib/workspace.js";
import type { Workspace } from "../lib/workspace.js";

/** One repetition of one runner: what the task stamps say. */
interface Sample {
  readonly wall: number;
  readonly makespan: number;
  readonly order: readonly string[];
}

/** Reads the stamps; throws if a task did not run exactly once (the run would not count). */
export function readStamps(ws: Workspace): { makespan: number; order: string[] } {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const line of readFileSync(ws.log, "utf8").trim().split("\n")) {
    const [id = "", what, ns = "0"] = line.split(" ");
    const into = what === "start" ? starts : ends;
    if (into.has(id)) throw new Error(`${id} ran twice`);
    into.set(id, Number(BigInt(ns) / 1000n) / 1e6);
  }
  const missing = ws.dag.tasks.filter((t) => !starts.has(t.id) || !ends.has(t.id));
  if (missing.length > 0) throw new Error(`did not run: ${missing.map((t) => t.id).join(", ")}`);
  const first = Math.min(...starts.values());
  const last = Math.max(...ends.values());
  const order = [...starts].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  return { makespan: last - first, order };
}

async function sample(runner: Runner, ws: Workspace): Promise<Sample> {
  runner.reset(ws);
  writeFileSync(ws.log, "");
  const result = await measure(runner.command(ws, ws.dag.slots));
  if (result.exitCode !== 0)
    throw new Error(`${runner.name} failed (exit ${result.exitCode}):\n${result.output}`);
  return { wall: result.seconds, ...readStamps(ws) };
}

const slug = (dag: BenchDag) => `scheduling-${dag.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;

export async function scheduling(quick: boolean, only?: string): Promise<ScenarioResult> {
  const reps = quick ? 1 : 3;
  const factor = quick ? 0.25 : 1;
  const attainable = (quick ? [chainFirst, longFirst] : [sixPackages, chainFirst, longFirst]).map(
    (d) => scaled(d, factor),
  );
  const random = quick ? [] : [1, 2, 3].map((seed) => layeredDag(seed, 60, 4, 0.5));
  const runners = dagRunners.filter((r) => r.version() !== undefined);
  const skipped = dagRunners.filter((r) => r.version() === undefined).map((r) => r.name);

  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  const graphs = [...attainable, ...random].filter(
    (dag) => only === undefined || dag.name.includes(only),
  );
  for (const dag of graphs) {
    const ws = writeWorkspace(slug(dag), dag);
    const bound = lowerBound(dag);
    for (const runner of runners) runner.prepare?.(ws, dag.slots);
    const samples = new Map<Runner, Sample[]>(runners.map((r) => [r, []]));
    for (let rep = 0; rep < reps; rep++)
      for (const runner of runners) samples.get(runner)?.push(await sample(runner, ws));
    const median = (r: Runner, key: "wall" | "makespan") =>
      stats((samples.get(r) ?? []).map((s) => s[key])).median;
    for (const runner of runners) {
      const list = samples.get(runner) ?? [];
      const makespan = stats(list.map((s) => s.makespan));
      rows.push([
        dag.name,
        runner.name,
        spread(stats(list.map((s) => s.wall))),
        spread(makespan),
        fmt(makespan.median / bound),
        (list[0]?.order ?? []).slice(0, dag.tasks.length > 8 ? 6 : 8).join(" "),
      ]);
    }
    const peers = runners.filter((r) => r !== parexCold && r !== parexWarm);
    const beats = (r: Runner, key: "wall" | "makespan") =>
      peers.filter((p) => median(r, key) > median(p, key)).map((p) => p.name);
    const warmRatio = median(parexWarm, "makespan") / bound;
    const losesTo = beats(parexWarm, "wall");
    verdicts.push(
      `${dag.name} (lower bound ${fmt(bound)} s${attainable.includes(dag) ? ", attainable" : ""}): parex warm ${fmt(warmRatio)}× the bound${attainable.includes(dag) ? " (goal ≤ 1.05)" : ""}; its wall time ${losesTo.length === 0 ? "≤ every peer's median" : `> ${losesTo.join(", ")}`}`,
    );
    if (dag.name === chainFirst.name) {
      const coldLoses = beats(parexCold, "wall");
      verdicts.push(
        `chain first, parex cold: wall ${coldLoses.length === 0 ? "≤ every peer's median (goal)" : `> ${coldLoses.join(", ")} (goal: ≤ every peer)`}`,
      );
    }
  }
  return {
    title: `Scheduling quality: the same sleeping tasks under every runner (${reps} runs each${quick ? ", durations × 0.25" : ""})`,
    command: `npm run bench -- scheduling${quick ? " --quick" : ""}${only === undefined ? "" : ` --only=${JSON.stringify(only)}`}`,
    table: markdown(
      [
        "graph",
        "runner",
        "wall (s), median (min–max)",
        "makespan (s), median (min–max)",
        "makespan / lower bound",
        "start order (first run)",
      ],
      rows,
    ),
    verdicts,
    notes: [
      "Versions: " +
        runners.map((r) => `${r.name} ${r.version() ?? ""}`).join(", ") +
        (skipped.length > 0 ? `. Not installed, skipped: ${skipped.join(", ")}` : ""),
      "Makespan: first task start to last task end, from the tasks' own stamps; wall: the runner's process from spawn to exit.",
    ],
  };
}
