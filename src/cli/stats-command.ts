import { basename } from "node:path";
import { cacheStats, periodOf, periodStats } from "../core/index.js";
import type { CacheStats, Period, PeriodStats, RunSummary } from "../core/index.js";
import { duration, percent, table } from "../report/index.js";
import { SqliteStore } from "../store/index.js";
import type { RunRow } from "../store/index.js";
import { configOption, parseCommand, string, choiceOf } from "./args.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";
import type { Io } from "./io.js";
import { configFileFor, openHistory } from "./open-history.js";

/** `parex stats --help`, and the options it parses. */
export const statsDoc: CommandDoc = {
  usage: "parex stats [options]",
  about: [
    "Trends of this config's runs per day or week: how many, mean / p50 / p95 / p99 makespan,",
    "failure rate, throughput, efficiency, and flaky tasks (failed, then passed on a retry). Runs",
    "whose runner died before they ended (interrupted) are counted apart: not in the runs, the",
    "makespans or the failure rate. With the task cache: each task's hit rate (hits / runs in which",
    "it was cached) and the task time hits saved.",
  ],
  options: {
    ...configOption,
    by: { type: "string", value: "PERIOD", help: ["day | week (default: week)"] },
    limit: {
      type: "string",
      short: "n",
      value: "N",
      help: ["how many of the latest runs to count (default 1000)"],
    },
    json: { type: "boolean", help: ["print JSON"] },
  },
};

/** `parex stats`: returns the exit code. */
export async function statsCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand("stats", argv, statsDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(statsDoc)}\n`);
    return 0;
  }
  const by = choiceOf<Period>("stats", "--by", string(values["by"]) ?? "week", ["day", "week"]);
  const file = configFileFor(values["config"] as string | undefined, io);
  const store = await openHistory(file, io);
  if (!(store instanceof SqliteStore)) return 1;
  try {
    const runs = store.recent(Number((values["limit"] as string | undefined) ?? 1000));
    const stats = statsOf(runs, by);
    if (values["json"] === true) {
      io.stdout(`${JSON.stringify(stats, null, 2)}\n`);
      return 0;
    }
    if (stats.length === 0) {
      io.stdout(`No finished runs of ${basename(file)} yet.\n`);
      return 0;
    }
    const rows = stats.map((s) => [
      s.period,
      String(s.runs),
      ...("meanMs" in s
        ? [
            duration(s.meanMs),
            duration(s.p50Ms),
            duration(s.p95Ms),
            duration(s.p99Ms),
            percent(s.failureRate),
            `${s.throughputPerSec.toFixed(1)}/s`,
            // No run of the period ran every task: no figure, rather than a false 0.
            s.efficiency === null ? "-" : percent(s.efficiency),
          ]
        : Array<string>(7).fill("-")),
      String(s.interrupted),
      ("flaky" in s ? s.flaky.map((f) => `${f.id} (${f.runs})`).join(", ") : "") || "-",
    ]);
    const header = [
      by === "week" ? "week of" : "day",
      "runs",
      "mean",
      "p50",
      "p95",
      "p99",
      "failed",
      "throughput",
      "efficiency",
      "interrupted",
      "flaky",
    ];
    const right = [false, true, true, true, true, true, true, true, true, true, false];
    io.stdout(`${table([header, ...rows], right).join("\n")}\n`);
    const cache = cacheStats(summariesOf(runs));
    if (cache !== undefined) io.stdout(`\n${cacheTable(cache).join("\n")}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/**
 * A period's numbers, with its interrupted runs (their runner died before the end) counted apart:
 * they have no makespan, and they say nothing of the tasks. A period with only those has no
 * numbers but the count.
 */
type StatsRow = (PeriodStats | { readonly period: string; readonly runs: 0 }) & {
  readonly interrupted: number;
  /** What the task cache did in the period's runs, when any used it. */
  readonly cache?: CacheStats;
};

/** The finished runs' statistics per period, newest first, with each period's interrupted runs. */
function statsOf(runs: readonly RunRow[], by: Period): StatsRow[] {
  const summaries = summariesOf(runs);
  const cache = new Map<string, RunSummary[]>();
  for (const summary of summaries) {
    const period = periodOf(new Date(summary.startedAt), by);
    cache.set(period, [...(cache.get(period) ?? []), summary]);
  }
  const cacheOf = (period: string) => {
    const stats = cacheStats(cache.get(period) ?? []);
    return stats === undefined ? {} : { cache: stats };
  };
  const interrupted = new Map<string, number>();
  for (const run of runs) {
    if (run.status !== "interrupted") continue;
    const period = periodOf(new Date(run.startedAt), by);
    interrupted.set(period, (interrupted.get(period) ?? 0) + 1);
  }
  const finished = periodStats(summaries, by);
  const known = new Set(finished.map((s) => s.period));
  return [
    ...finished.map((s) => ({
      ...s,
      interrupted: interrupted.get(s.period) ?? 0,
      ...cacheOf(s.period),
    })),
    ...[...interrupted]
      .filter(([period]) => !known.has(period))
      .map(([period, count]) => ({ period, runs: 0 as const, interrupted: count })),
  ].sort((a, b) => (a.period < b.period ? 1 : -1));
}

const summariesOf = (runs: readonly RunRow[]): RunSummary[] =>
  runs.flatMap((run) => (run.summary === undefined ? [] : [run.summary as RunSummary]));

/** The cache over every run counted: its hits and time saved, then each task's hit rate. */
function cacheTable(cache: CacheStats): string[] {
  const runs = `${cache.runs} run${cache.runs === 1 ? "" : "s"}`;
  return [
    `cache, over ${runs} that used it: ${cache.hits} of ${cache.hits + cache.misses} lookups hit (${percent(cache.hitRate)}), saved ${duration(cache.savedMs)} of task time`,
    ...table(
      [
        ["task", "hit rate", "hits", "cached runs"],
        ...cache.tasks.map((t) => [t.id, percent(t.hitRate), String(t.hits), String(t.runs)]),
      ],
      [false, true, true, true],
    ),
  ];
}
