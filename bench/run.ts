/**
 * The benchmark harness: `npm run bench [-- --quick] [SCENARIO...]`.
 * Each measurement runs in a fresh Node process; implementations are interleaved over the
 * repetitions; results are written as markdown to bench/results/ and printed.
 * Scenarios: throughput, dag, scheduling, cli.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const chosen = args.filter((a) => !a.startsWith("--"));
const date = new Date().toISOString().slice(0, 10);

type Row = Record<string, number | string>;

function node(script: string, scriptArgs: (string | number)[]): Row[] {
  const result = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", script, ...scriptArgs.map(String)],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (result.status !== 0)
    throw new Error(`${script} ${scriptArgs.join(" ")} failed:\n${result.stderr}`);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row);
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

function markdown(headers: string[], rows: (string | number)[][]): string {
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Measures each implementation `reps` times, interleaved; returns the rows by implementation. */
function repeat(
  script: string,
  impls: string[],
  reps: number,
  rest: (string | number)[],
): Map<string, Row[]> {
  const byImpl = new Map<string, Row[]>(impls.map((i) => [i, []]));
  for (let r = 0; r < reps; r++)
    for (const impl of impls) byImpl.get(impl)?.push(...node(script, [impl, ...rest]));
  return byImpl;
}

const scenarios: Record<
  string,
  () => { title: string; command: string; table: string; verdicts: string[] }
> = {
  throughput() {
    const n = quick ? 100_000 : 1_000_000;
    const reps = quick ? 1 : 3;
    const impls = ["parallelMap", "p-map", "limit", "p-limit", "p-queue"];
    const rows = repeat("bench/throughput.ts", impls, reps, [n, 16]);
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
  },
  dag() {
    const big = quick ? 10_000 : 100_000;
    const small = quick ? 2_000 : 10_000;
    const reps = quick ? 1 : 3;
    const parexBig = repeat("bench/dag.ts", ["run"], reps, [big]).get("run") ?? [];
    const parexSmall = repeat("bench/dag.ts", ["run"], reps, [small]).get("run") ?? [];
    const plan = repeat("bench/dag.ts", ["plan"], reps, [big]).get("plan") ?? [];
    const auto = repeat("bench/dag.ts", ["async.auto"], 1, [small]).get("async.auto") ?? [];
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
  },
  cli() {
    const reps = quick ? 2 : 10;
    const rows = node("bench/cli.ts", [reps]);
    const byCase = new Map(rows.map((r) => [String(r["case"]), r]));
    const med = (name: string, key: "wall" | "rssKb") =>
      stats((byCase.get(name)?.[key] as unknown as number[] | undefined) ?? []);
    const table = markdown(
      ["case", "wall (s), median", "min–max", "peak RSS (MB), median"],
      rows.map((r) => {
        const wall = stats(r["wall"] as unknown as number[]);
        const rss = stats(r["rssKb"] as unknown as number[]);
        return [
          String(r["case"]),
          fmt(wall.median),
          `${fmt(wall.min)}–${fmt(wall.max)}`,
          fmt(rss.median / 1024, 0),
        ];
      }),
    );
    const loud = med("one task printing 100 MB (streamed)", "rssKb").median / 1024;
    const quiet =
      med("one quiet task (streamed), for the 100 MB comparison", "rssKb").median / 1024;
    return {
      title: `parex run from outside: whole processes of the built CLI (${reps} runs each)`,
      command: `npm run bench -- cli${quick ? " --quick" : ""}`,
      table,
      verdicts: [
        `startup, one trivial task: ${fmt(med("one trivial task", "wall").median)} s (goal ≤ 0.15; node -e 0: ${fmt(med("node -e 0", "wall").median)} s)`,
        `six trivial tasks, chain of depth 4: ${fmt(med("six trivial tasks, chain of depth 4", "wall").median)} s (goal ≤ 0.3)`,
        `1,000 trivial tasks: peak RSS ${fmt(med("1,000 trivial tasks", "rssKb").median / 1024, 0)} MB (goal ≤ 80)`,
        `history overhead on 1,000 trivial tasks: ${fmt((med("1,000 trivial tasks, with history", "wall").median / med("1,000 trivial tasks", "wall").median - 1) * 100, 0)} % (goal ≤ 5 %)`,
        `100 MB of output grows the runner by ${fmt(loud - quiet, 0)} MB (goal ≤ 64)`,
      ],
    };
  },
  scheduling() {
    const rows = node("bench/scheduling.ts", quick ? [10, 60, 4] : [40, 60, 4]);
    const table = markdown(
      [
        "order",
        "graphs",
        "tasks",
        "slots",
        "makespan / lower bound, mean",
        "median",
        "worst",
        "at the bound",
      ],
      rows.map((r) => [
        String(r["order"]),
        Number(r["graphs"]),
        Number(r["tasks"]),
        Number(r["slots"]),
        fmt(Number(r["meanRatio"]), 3),
        fmt(Number(r["medianRatio"]), 3),
        fmt(Number(r["worstRatio"]), 3),
        Number(r["atBound"]),
      ]),
    );
    const mean = (order: string) => Number(rows.find((r) => r["order"] === order)?.["meanRatio"]);
    return {
      title:
        "Scheduling quality on the simulator (random layered DAGs, lognormal durations, fixed seeds)",
      command: `npm run bench -- scheduling${quick ? " --quick" : ""}`,
      table,
      verdicts: [
        `parex warm: ${fmt(mean("parex warm"), 3)}× the lower bound; FIFO ${fmt(mean("FIFO"), 3)}×; wave barriers ${fmt(mean("wave barriers"), 3)}×`,
      ],
    };
  },
};

if (!existsSync(`${root}bench/node_modules/p-map`)) {
  console.error("bench: installing the peers (npm run bench:setup) ...");
  execFileSync("npm", ["run", "bench:setup"], { cwd: root, stdio: "inherit" });
}
console.error("bench: building parex (npm run build) ...");
execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });

const names = chosen.length > 0 ? chosen : Object.keys(scenarios);
const unknown = names.filter((n) => !(n in scenarios));
if (unknown.length > 0) {
  console.error(
    `bench: unknown scenario ${unknown.join(", ")}; choose from ${Object.keys(scenarios).join(", ")}`,
  );
  process.exit(2);
}
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(2))
  .join(" ")} at start`;
mkdirSync(`${root}bench/results`, { recursive: true });
for (const name of names) {
  const scenario = scenarios[name];
  if (scenario === undefined) continue;
  console.error(`bench: ${name} ...`);
  const result = scenario();
  const text = [
    `## ${result.title}`,
    "",
    `${date} · ${machine}`,
    "",
    `Command: \`${result.command}\``,
    "",
    result.table,
    "",
    ...result.verdicts.map((v) => `- ${v}`),
    "",
  ].join("\n");
  const file = `bench/results/${date}-${name}${quick ? "-quick" : ""}.md`;
  writeFileSync(`${root}${file}`, text);
  console.log(`${text}\n(written to ${file})\n`);
}
