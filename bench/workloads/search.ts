/**
 * The schedule search on the simulator. Small random DAGs (edge probability 0.25, lognormal
 * durations) against the best list schedule (branch and bound over every dispatch order);
 * with ±20 % noise on the actual durations (each times a uniform factor in [0.8, 1.2]), the
 * order planned from the estimates against the best list schedule of the actual durations;
 * with uneven noise (one task in three varies by σ 0.6 in log, the others by 0.05), the order
 * planned knowing each task's spread (as a history learns it) against the same search assuming
 * ±20 % for every task, and the rule; larger layered DAGs against the lower bound, with the
 * planning time.
 *   node --import tsx bench/workloads/search.ts small GRAPHS
 *   node --import tsx bench/workloads/search.ts large GRAPHS SIZE SLOTS
 * Each line printed is one JSON row.
 */
import {
  buildGraph,
  readyRank,
  criticalPath,
  searchPriorities,
  simulate,
  simulateWaves,
} from "../../dist/index.js";
import type { TaskGraph, TaskSpec } from "../../dist/index.js";
import { bestListSchedule } from "../lib/best-list.js";
import { layeredDag, normal, random } from "../lib/dags.js";

const [mode = "small", graphsArg = "200", sizeArg = "60", slotsArg = "4"] = process.argv.slice(2);
const graphs = Number(graphsArg);

interface Case {
  readonly graph: TaskGraph;
  readonly durations: Record<string, number>;
}

function smallCase(seed: number): Case {
  const rand = random(seed);
  const size = 8 + Math.floor(rand() * 3);
  const specs: TaskSpec<null>[] = [];
  const durations: Record<string, number> = {};
  for (let i = 0; i < size; i++) {
    const dependsOn = specs.filter(() => rand() < 0.25).map((s) => s.id);
    specs.push({ id: `t${i}`, run: null, dependsOn });
    durations[`t${i}`] = Math.round(1000 * Math.exp(0.9 * normal(rand)));
  }
  return { graph: buildGraph(specs), durations };
}

function layeredCase(seed: number, size: number, slots: number): Case {
  const dag = layeredDag(seed, size, slots);
  const specs = dag.tasks.map((t) => ({ id: t.id, run: null, dependsOn: [...t.dependsOn] }));
  return { graph: buildGraph(specs), durations: dag.durations };
}

/** The best list schedule's makespan. */
const best = (graph: TaskGraph, durations: Record<string, number>, slots: number): number =>
  bestListSchedule(
    {
      dependencies: graph.dependencies,
      durations: graph.tasks.map((t) => durations[t.id] ?? 0),
    },
    slots,
  );

/** Each duration times a uniform factor in [0.8, 1.2]. */
const noise = (durations: Record<string, number>, rand: () => number): Record<string, number> =>
  Object.fromEntries(Object.entries(durations).map(([id, d]) => [id, d * (0.8 + 0.4 * rand())]));

/** Each task's own spread: one in three jumpy (σ 0.6 in log), the others steady (σ 0.05). */
const spreadsOf = (c: Case, rand: () => number): Record<string, number> =>
  Object.fromEntries(Object.keys(c.durations).map((id) => [id, rand() < 1 / 3 ? 0.6 : 0.05]));

/** Each duration times exp(σ · a standard normal), σ its task's spread. */
function uneven(
  durations: Record<string, number>,
  spreads: Record<string, number>,
  rand: () => number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(durations).map(([id, d]) => [
      id,
      d * Math.exp((spreads[id] ?? 0) * normal(rand)),
    ]),
  );
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const worst = (xs: readonly number[]): number => Math.max(...xs);

/** What a run spends choosing its order (`readyRank`), in ms: the median of three, warm. */
function planningMs(c: Case, slots: number): number {
  const times: number[] = [];
  readyRank(c.graph, c.durations, { concurrency: slots });
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    readyRank(c.graph, c.durations, { concurrency: slots });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[1] ?? 0;
}

/**
 * Predicted makespans of a run's default (searched) order and of the critical-path rule, the
 * tasks taking `actual`; the search knowing each task's `spreads` when given.
 */
function predict(c: Case, slots: number, actual = c.durations, spreads?: Record<string, number>) {
  const run = (order: "searched" | "critical-path") =>
    simulate(c.graph, actual, {
      concurrency: slots,
      estimates: c.durations,
      order,
      ...(spreads === undefined ? {} : { spreads }),
    }).makespanMs;
  return { searched: run("searched"), rule: run("critical-path") };
}

if (mode === "small") {
  for (const slots of [2, 3]) {
    const ratio: Record<string, number[]> = {
      searched: [],
      "critical-path": [],
      "wave barriers": [],
      "searched, estimate only": [],
      "searched, ±20 % noise": [],
      "critical-path, ±20 % noise": [],
      "searched, uneven noise, spreads learned": [],
      "searched, uneven noise, ±20 % assumed": [],
      "critical-path, uneven noise": [],
    };
    const planning: number[] = [];
    let beatenByWaves = 0;
    for (let seed = 1; seed <= graphs; seed++) {
      const c = smallCase(seed * 7919 + slots);
      const optimum = best(c.graph, c.durations, slots);
      const { searched, rule } = predict(c, slots);
      const pointOnly = searchPriorities(c.graph, c.durations, { concurrency: slots });
      const waves = simulateWaves(c.graph, c.durations, slots).makespanMs;
      if (waves < searched) beatenByWaves++;
      ratio["searched"]?.push(searched / optimum);
      ratio["searched, estimate only"]?.push(pointOnly.makespanMs / optimum);
      ratio["critical-path"]?.push(rule / optimum);
      ratio["wave barriers"]?.push(waves / optimum);
      planning.push(planningMs(c, slots));
      const rand = random(seed);
      for (let draw = 0; draw < 3; draw++) {
        const noisy = noise(c.durations, rand);
        const noisyBest = best(c.graph, noisy, slots);
        const actual = predict(c, slots, noisy);
        ratio["searched, ±20 % noise"]?.push(actual.searched / noisyBest);
        ratio["critical-path, ±20 % noise"]?.push(actual.rule / noisyBest);
      }
      const spreads = spreadsOf(c, rand);
      for (let draw = 0; draw < 5; draw++) {
        const noisy = uneven(c.durations, spreads, rand);
        const noisyBest = best(c.graph, noisy, slots);
        const knowing = predict(c, slots, noisy, spreads);
        const assuming = predict(c, slots, noisy);
        ratio["searched, uneven noise, spreads learned"]?.push(knowing.searched / noisyBest);
        ratio["searched, uneven noise, ±20 % assumed"]?.push(assuming.searched / noisyBest);
        ratio["critical-path, uneven noise"]?.push(knowing.rule / noisyBest);
      }
    }
    for (const [order, xs] of Object.entries(ratio))
      console.log(
        JSON.stringify({
          mode,
          slots,
          graphs,
          order,
          meanRatio: mean(xs),
          worstRatio: worst(xs),
          atBest: xs.filter((x) => x <= 1 + 1e-9).length,
          ...(order === "searched" ? { beatenByWaves, planningMs: mean(planning) } : {}),
        }),
      );
  }
} else {
  const size = Number(sizeArg);
  const slots = Number(slotsArg);
  const ratio: Record<string, number[]> = {
    searched: [],
    "critical-path": [],
    "wave barriers": [],
  };
  const planning: number[] = [];
  for (let seed = 1; seed <= graphs; seed++) {
    const c = layeredCase(seed, size, slots);
    const weights = Float64Array.from(c.graph.tasks, (t) => c.durations[t.id] ?? 0);
    const work = weights.reduce((a, b) => a + b, 0);
    const bound = Math.max(criticalPath(c.graph, weights).length, work / slots);
    const { searched, rule } = predict(c, slots);
    ratio["searched"]?.push(searched / bound);
    ratio["critical-path"]?.push(rule / bound);
    ratio["wave barriers"]?.push(simulateWaves(c.graph, c.durations, slots).makespanMs / bound);
    planning.push(planningMs(c, slots));
  }
  for (const [order, xs] of Object.entries(ratio))
    console.log(
      JSON.stringify({
        mode,
        size,
        slots,
        graphs,
        order,
        meanRatio: mean(xs),
        worstRatio: worst(xs),
        ...(order === "searched"
          ? { planningMs: mean(planning), worstPlanningMs: worst(planning) }
          : {}),
      }),
    );
}
