/**
 * Scheduling quality on the simulator: random layered DAGs with lognormal durations, the
 * makespan of each ordering divided by the lower bound max(critical path, work / slots).
 *   node --import tsx bench/workloads/simulator.ts [GRAPHS] [TASKS] [SLOTS]
 * Orders: parex warm (knows the durations: the searched order), the critical-path rule alone
 * (warm, no search), parex cold (unit weights), FIFO, wave barriers.
 */
import { buildGraph, criticalPath, simulate, simulateWaves } from "../../dist/index.js";
import type { TaskSpec } from "../../dist/index.js";
import { layeredDag } from "../lib/dags.js";

const [graphsArg = "40", tasksArg = "60", slotsArg = "4"] = process.argv.slice(2);
const graphs = Number(graphsArg);
const size = Number(tasksArg);
const slots = Number(slotsArg);

function simulatorDag(seed: number) {
  const dag = layeredDag(seed, size, slots);
  const specs: TaskSpec<null>[] = dag.tasks.map((t) => ({
    id: t.id,
    run: null,
    dependsOn: [...t.dependsOn],
  }));
  return { graph: buildGraph(specs), durations: dag.durations };
}

const orders = {
  "parex warm": (g: ReturnType<typeof simulatorDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots }).makespanMs,
  "critical-path rule": (g: ReturnType<typeof simulatorDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots, order: "critical-path" }).makespanMs,
  "parex cold": (g: ReturnType<typeof simulatorDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots, estimates: {} }).makespanMs,
  FIFO: (g: ReturnType<typeof simulatorDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots, order: "fifo", estimates: {} }).makespanMs,
  "wave barriers": (g: ReturnType<typeof simulatorDag>) =>
    simulateWaves(g.graph, g.durations, slots).makespanMs,
};

const ratios: Record<string, number[]> = {};
for (let seed = 1; seed <= graphs; seed++) {
  const dag = simulatorDag(seed);
  const weights = Float64Array.from(dag.graph.tasks, (t) => dag.durations[t.id] ?? 0);
  const work = weights.reduce((a, b) => a + b, 0);
  const bound = Math.max(criticalPath(dag.graph, weights).length, work / slots);
  for (const [name, makespan] of Object.entries(orders))
    (ratios[name] ??= []).push(makespan(dag) / bound);
}
for (const [name, values] of Object.entries(ratios)) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    JSON.stringify({
      order: name,
      graphs,
      tasks: size,
      slots,
      meanRatio: mean,
      medianRatio: sorted[Math.floor(sorted.length / 2)],
      worstRatio: sorted[sorted.length - 1],
      atBound: values.filter((v) => v <= 1.0001).length,
    }),
  );
}
