/**
 * Scheduling quality on the simulator: random layered DAGs with lognormal durations, the
 * makespan of each ordering divided by the lower bound max(critical path, work / slots).
 *   node --import tsx bench/scheduling.ts [GRAPHS] [TASKS] [SLOTS]
 * Orders: parex warm (knows the durations), parex cold (unit weights), FIFO, wave barriers.
 */
import { buildGraph, criticalPath, simulate, simulateWaves } from "../dist/index.js";
import type { TaskSpec } from "../dist/index.js";

const [graphsArg = "40", tasksArg = "60", slotsArg = "4"] = process.argv.slice(2);
const graphs = Number(graphsArg);
const size = Number(tasksArg);
const slots = Number(slotsArg);

/** mulberry32: a small seeded generator, so every run sees the same graphs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function layeredDag(seed: number) {
  const rand = random(seed);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const layers = 4 + Math.floor(rand() * 5);
  const specs: TaskSpec<null>[] = [];
  const durations: Record<string, number> = {};
  const byLayer: string[][] = [];
  for (let i = 0; i < size; i++) {
    const layer = Math.min(layers - 1, Math.floor((i / size) * layers));
    const below = byLayer.slice(0, layer).flat();
    const id = `t${i}`;
    const fanIn = below.length === 0 ? 0 : 1 + Math.floor(rand() * 3);
    const dependsOn = [
      ...new Set(
        Array.from({ length: fanIn }, () => below[Math.floor(rand() * below.length)] ?? ""),
      ),
    ];
    specs.push({ id, run: null, dependsOn });
    durations[id] = Math.round(1000 * Math.exp(0.9 * normal()));
    (byLayer[layer] ??= []).push(id);
  }
  return { graph: buildGraph(specs), durations };
}

const orders = {
  "parex warm": (g: ReturnType<typeof layeredDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots }).makespanMs,
  "parex cold": (g: ReturnType<typeof layeredDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots, estimates: {} }).makespanMs,
  FIFO: (g: ReturnType<typeof layeredDag>) =>
    simulate(g.graph, g.durations, { concurrency: slots, order: "fifo", estimates: {} }).makespanMs,
  "wave barriers": (g: ReturnType<typeof layeredDag>) =>
    simulateWaves(g.graph, g.durations, slots).makespanMs,
};

const ratios: Record<string, number[]> = {};
for (let seed = 1; seed <= graphs; seed++) {
  const dag = layeredDag(seed);
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
