import { basename } from "node:path";
import { expectOneOf, periodStats } from "../core/index.js";
import type { RunSummary } from "../core/index.js";
import { duration, percent, table } from "../report/index.js";
import { SqliteStore } from "../store/index.js";
import { parseCommand, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { configFileFor, openHistory } from "./open-history.js";

export const statsHelp = `Usage: parex stats [options]

Trends of this config's runs per day or week: how many, mean / p50 / p95 / p99 makespan,
failure rate, throughput, efficiency, and flaky tasks (failed, then passed on a retry).

Options:
  -c, --config FILE     config file (default: parex.config.* found walking up)
      --by PERIOD       day | week (default: week)
  -n, --limit N         how many of the latest runs to count (default 1000)
      --json            print JSON
  -h, --help            show this help`;

const options = {
  config: { type: "string", short: "c" },
  by: { type: "string" },
  limit: { type: "string", short: "n" },
  json: { type: "boolean" },
} as const;

/** `parex stats`: returns the exit code. */
export async function statsCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand("stats", argv, options);
  if (values["help"] === true) {
    io.stdout(`${statsHelp}\n`);
    return 0;
  }
  const by = (values["by"] as string | undefined) ?? "week";
  try {
    expectOneOf("--by", by, ["day", "week"]);
  } catch (error) {
    throw new UsageError(
      `parex stats: ${(error as Error).message.replace(/^Expected `(--\w+)`/, "$1 must be")}.`,
    );
  }
  const file = configFileFor(values["config"] as string | undefined, io);
  const store = await openHistory(file, io);
  if (!(store instanceof SqliteStore)) return 1;
  try {
    const summaries = store
      .recent(Number((values["limit"] as string | undefined) ?? 1000))
      .flatMap((run) => (run.summary === undefined ? [] : [run.summary as RunSummary]));
    const stats = periodStats(summaries, by);
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
      duration(s.meanMs),
      duration(s.p50Ms),
      duration(s.p95Ms),
      duration(s.p99Ms),
      percent(s.failureRate),
      `${s.throughputPerSec.toFixed(1)}/s`,
      percent(s.efficiency),
      s.flaky.map((f) => `${f.id} (${f.runs})`).join(", ") || "-",
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
      "flaky",
    ];
    io.stdout(
      `${table([header, ...rows], [false, true, true, true, true, true, true, true, true, false]).join("\n")}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}
