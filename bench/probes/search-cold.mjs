// What the schedule search costs in a fresh process, before Node has compiled the simulator:
//   npm run build && node bench/probes/search-cold.mjs [TASKS] [SAMPLES] [ROUNDS]
// Each round starts a new node process that builds a graph of TASKS (default 6) tasks, a few of
// them chained, with durations of 0.5–1.5 s, and searches its order on 2 slots with SAMPLES
// (default 32, as a run of up to 120 tasks does) once cold, then once more warm. Prints each
// round's times and the median of ROUNDS (default 5).
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";

if (process.argv[2] === "--child") {
  const { buildGraph, searchPriorities } = await import("../../dist/index.js");
  const [tasks, samples] = process.argv.slice(3).map(Number);
  const specs = Array.from({ length: tasks }, (_, i) => ({
    id: `t${i}`,
    run: "x",
    dependsOn: i > 1 && i % 3 === 0 ? [`t${i - 2}`] : [],
  }));
  const graph = buildGraph(specs);
  const durations = Object.fromEntries(specs.map((s, i) => [s.id, 500 + ((i * 7919) % 1000)]));
  const search = () => {
    const start = performance.now();
    const found = searchPriorities(graph, durations, { concurrency: 2, samples });
    return { ms: performance.now() - start, evaluations: found.evaluations };
  };
  const cold = search();
  const warm = search();
  console.log(JSON.stringify({ cold: cold.ms, warm: warm.ms, evaluations: cold.evaluations }));
} else {
  const [tasks = "6", samples = "32", rounds = "5"] = process.argv.slice(2);
  const runs = [];
  for (let round = 0; round < Number(rounds); round++) {
    const line = execFileSync(
      process.execPath,
      [new URL(import.meta.url).pathname, "--child", tasks, samples],
      { encoding: "utf8" },
    );
    const run = JSON.parse(line);
    runs.push(run);
    console.log(
      `round ${round + 1}: cold ${run.cold.toFixed(1)} ms, warm ${run.warm.toFixed(1)} ms, ${run.evaluations} simulations`,
    );
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `${tasks} tasks, ${samples} samples: cold ${median(runs.map((r) => r.cold)).toFixed(1)} ms, warm ${median(runs.map((r) => r.warm)).toFixed(1)} ms (medians of ${rounds})`,
  );
}
