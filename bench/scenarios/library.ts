/** In-process: the library against p-map, p-limit, p-queue and async.auto. */
import { fmt, markdown, repeat, stats } from "../lib/harness.js";
import type { Row, ScenarioResult } from "../lib/harness.js";

export function throughput(quick: boolean): ScenarioResult {
  const n = quick ? 100_000 : 1_000_000;
  const reps = quick ? 1 : 3;
  const impls = ["parallelMap", "p-map", "limit", "p-limit", "p-queue"];
  const rows = repeat("bench/workloads/throughput.ts", impls, reps, [n, 16]);
  const summary = new Map(
    impls.map((impl) => {
      const runs = rows.get(impl) ?? [];
      return [
        impl,
        {
          rate: stats(runs.map((r) => Number(r["perSecond"]))),
          heap: stats(runs.map((r) => Number(r["peakHeapMB"]))),
          rss: stats(runs.map((r) => Number(r["maxRssMB"]))),
        },
      ];
    }),
  );
  const get = (impl: string) =>
    summary.get(impl) ?? { rate: stats([]), heap: stats([]), rss: stats([]) };
  const table = markdown(
    [
      "implementation",
      "throughput (M tasks/s), median",
      "min–max",
      "peak heap (MB)",
      "peak RSS (MB)",
    ],
    impls.map((impl) => {
      const s = get(impl);
      return [
        impl,
        fmt(s.rate.median / 1e6),
        `${fmt(s.rate.min / 1e6)}–${fmt(s.rate.max / 1e6)}`,
        fmt(s.heap.median, 0),
        fmt(s.rss.median, 0),
      ];
    }),
  );
  const pm = get("parallelMap"),
    pmap = get("p-map"),
    lim = get("limit"),
    plim = get("p-limit");
  const verdicts = [
    `parallelMap / p-map throughput: ${fmt(pm.rate.median / pmap.rate.median)}× (goal ≥ 1); parallelMap heap ${fmt(pm.heap.median, 0)} MB (goal ≤ 100)`,
    `limit / p-limit throughput: ${fmt(lim.rate.median / plim.rate.median)}× (goal ≥ 2); heap ratio ${fmt(lim.heap.median / plim.heap.median)} (goal ≤ 0.5)`,
  ];
  return {
    title: `${n.toLocaleString("en")} trivial async tasks at concurrency 16 (${reps} runs each)`,
    command: `npm run bench -- throughput${quick ? " --quick" : ""}`,
    table,
    verdicts,
  };
}

export function dag(quick: boolean): ScenarioResult {
  const big = quick ? 10_000 : 100_000;
  const small = quick ? 2_000 : 10_000;
  const reps = quick ? 1 : 3;
  const parexBig = repeat("bench/workloads/dag.ts", ["run"], reps, [big]).get("run") ?? [];
  const parexSmall = repeat("bench/workloads/dag.ts", ["run"], reps, [small]).get("run") ?? [];
  const plan = repeat("bench/workloads/dag.ts", ["plan"], reps, [big]).get("plan") ?? [];
  const auto = repeat("bench/workloads/dag.ts", ["async.auto"], 1, [small]).get("async.auto") ?? [];
  const line = (name: string, tasks: number, runs: Row[]) => {
    const ms = stats(runs.map((r) => Number(r["ms"])));
    const heap = stats(runs.map((r) => Number(r["peakHeapMB"])));
    return [
      name,
      tasks.toLocaleString("en"),
      fmt(ms.median, 0),
      `${fmt(ms.min, 0)}–${fmt(ms.max, 0)}`,
      fmt(heap.median, 0),
      runs.length,
    ];
  };
  const table = markdown(
    ["runner", "tasks", "time (ms), median", "min–max", "peak heap (MB)", "runs"],
    [
      line("parex run", big, parexBig),
      line("parex: validate, waves, critical path only", big, plan),
      line("parex run", small, parexSmall),
      line("async.auto", small, auto),
    ],
  );
  const bigMs = stats(parexBig.map((r) => Number(r["ms"]))).median;
  const bigHeap = stats(parexBig.map((r) => Number(r["peakHeapMB"]))).median;
  const autoMs = stats(auto.map((r) => Number(r["ms"]))).median;
  const smallMs = stats(parexSmall.map((r) => Number(r["ms"]))).median;
  return {
    title: `Layered DAG of trivial async functions (layers of 1,000, two dependencies each), concurrency 16`,
    command: `npm run bench -- dag${quick ? " --quick" : ""}`,
    table,
    verdicts: [
      `parex on ${big.toLocaleString("en")} tasks: ${fmt(bigMs, 0)} ms (goal < 1000), ${fmt(bigHeap, 0)} MB heap (goal < 200)`,
      `async.auto / parex on ${small.toLocaleString("en")} tasks: ${fmt(autoMs / smallMs, 1)}× slower`,
      `validating and planning ${big.toLocaleString("en")} tasks: ${fmt(stats(plan.map((r) => Number(r["ms"]))).median, 0)} ms`,
    ],
  };
}
