/**
 * What a runner costs beyond the work: trivial tasks (`true`) through every runner — a chain
 * of six, 200 independent commands on 2 slots, and one task alone (startup).
 */
import type { BenchDag } from "../lib/dags.js";
import { fmt, markdown, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";
import * as r from "../lib/runners.js";
import type { Runner } from "../lib/runners.js";
import { installed, sampleRunners } from "../lib/sample.js";
import { writeWorkspace } from "../lib/workspace.js";

const trivial = (id: string, dependsOn: string[] = []) => ({ id, seconds: 0, dependsOn });

const chain: BenchDag = {
  name: "six trivial tasks, chain of depth 4",
  slots: 2,
  tasks: [
    trivial("a"),
    trivial("b", ["a"]),
    trivial("c", ["b"]),
    trivial("d", ["c"]),
    trivial("e", ["b"]),
    trivial("f", ["a"]),
  ],
};
const independent = (n: number): BenchDag => ({
  name: `${n} independent \`true\` commands, 2 slots`,
  slots: 2,
  tasks: Array.from({ length: n }, (_, i) => trivial(`t${i}`)),
});
const single: BenchDag = { name: "one trivial task (startup)", slots: 1, tasks: [trivial("one")] };

const graphRunners = [r.parexFlat, r.turbo, r.nx, r.lage, r.wireit, r.make, r.ninja, r.spawnLoop];
const flatRunners = [r.parexFlat, r.spawnLoop, r.xargs, r.gnuParallel, r.make, r.concurrently];

export async function overhead(quick: boolean): Promise<ScenarioResult> {
  const reps = quick ? 1 : 5;
  const cases: [BenchDag, Runner[]][] = [
    [single, graphRunners],
    [chain, graphRunners.filter((x) => x.dag)],
    [independent(quick ? 50 : 200), quick ? flatRunners : [...flatRunners, r.runP]],
  ];
  const rows: (string | number)[][] = [];
  const medians = new Map<string, number>();
  const notes = new Set<string>();
  for (const [dag, runners] of cases) {
    const { available, note } = installed(runners);
    notes.add(note);
    const ws = writeWorkspace(`overhead-${dag.tasks.length}-${dag.slots}`, dag, true);
    const results = await sampleRunners(available, ws, dag.slots, reps);
    for (const [runner, list] of results) {
      const wall = stats(list.map((m) => m.seconds));
      medians.set(`${dag.name}/${runner.name}`, wall.median);
      rows.push([
        dag.name,
        runner.name,
        spread(wall),
        fmt(stats(list.map((m) => m.rssMB)).median, 0),
      ]);
    }
  }
  const ratio = (dag: BenchDag, a: Runner, b: Runner) =>
    (medians.get(`${dag.name}/${a.name}`) ?? Number.NaN) /
    (medians.get(`${dag.name}/${b.name}`) ?? Number.NaN);
  const flat = independent(quick ? 50 : 200);
  return {
    title: `Overhead: trivial tasks from outside (${reps} runs each)`,
    command: `npm run bench -- overhead${quick ? " --quick" : ""}`,
    table: markdown(
      ["case", "runner", "wall (s), median (min–max)", "runner's peak RSS (MB), median"],
      rows,
    ),
    notes: [...notes],
    verdicts: [
      `${flat.name}: parex / bare Node spawn loop ${fmt(ratio(flat, r.parexFlat, r.spawnLoop))}× (goal ≤ 1.3)`,
      `${chain.name}: parex / wireit ${fmt(ratio(chain, r.parexFlat, r.wireit))}× (goal ≤ 0.6)`,
      `${single.name}: parex / turbo ${fmt(ratio(single, r.parexFlat, r.turbo))}×, parex / make ${fmt(ratio(single, r.parexFlat, r.make))}×`,
    ],
  };
}
