/**
 * A layered DAG of trivial async functions (layers of 1,000; each task depends on two tasks
 * of the layer before):
 *   node --expose-gc --import tsx bench/workloads/dag.ts IMPL TASKS
 * IMPL: run (parex) | plan (parex: validate, waves, critical path; nothing runs) | async.auto.
 * Times the run (or plan) alone, from the built package (npm run build).
 */
import asyncLib from "async";
import { buildGraph, criticalPath, run, waves } from "../../dist/index.js";
import { emit, HeapProbe } from "../lib/probe.js";

const [impl = "run", tasksArg = "100000"] = process.argv.slice(2);
const total = Number(tasksArg);
const width = Math.min(1000, total);
const probe = new HeapProbe();
const dependencies = (i: number): string[] => {
  if (i < width) return [];
  const base = Math.floor(i / width) * width - width;
  return [...new Set([`t${base + (i % width)}`, `t${base + ((i * 7 + 3) % width)}`])];
};
let calls = 0;
const work = (): number => {
  if ((++calls & 0x3ff) === 0) probe.sample();
  return 1;
};

let start: number;
if (impl === "run") {
  const tasks: Record<string, { dependsOn: string[]; run: () => Promise<number> }> = {};
  for (let i = 0; i < total; i++)
    tasks[`t${i}`] = { dependsOn: dependencies(i), run: async () => work() };
  probe.rebase();
  start = performance.now();
  const report = await run(tasks, { concurrency: 16 });
  if (report.status !== "succeeded") throw new Error(`run ended ${report.status}`);
} else if (impl === "plan") {
  const specs = Array.from({ length: total }, (_, i) => ({
    id: `t${i}`,
    run: work,
    dependsOn: dependencies(i),
  }));
  probe.rebase();
  start = performance.now();
  const graph = buildGraph(specs);
  const levels = waves(graph);
  const path = criticalPath(graph, new Float64Array(total).fill(1));
  if (levels.length !== Math.ceil(total / width) || path.length !== levels.length)
    throw new Error("bad plan");
  calls = total;
} else if (impl === "async.auto") {
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < total; i++) {
    const fn = (...args: unknown[]) => {
      const done = args[args.length - 1] as (e: null, v: number) => void;
      queueMicrotask(() => done(null, work()));
    };
    const deps = dependencies(i);
    tasks[`t${i}`] = deps.length === 0 ? fn : [...deps, fn];
  }
  probe.rebase();
  start = performance.now();
  await asyncLib.auto(tasks as never, 16);
} else {
  throw new Error(`unknown implementation ${impl}`);
}
const ms = performance.now() - start;
probe.sample();
if (calls !== total) throw new Error(`${impl} ran ${calls} of ${total} tasks`);
emit({ impl, tasks: total, ms, perSecond: total / (ms / 1000), peakHeapMB: probe.peakMB });
