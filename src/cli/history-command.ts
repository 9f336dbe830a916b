import { basename, dirname, join } from "node:path";
import { ParexError } from "../core/index.js";
import type { RunSummary } from "../core/index.js";
import { duration, renderFailures, renderSummary, table } from "../report/index.js";
import { liveRuns, SqliteStore } from "../store/index.js";
import type { RunRow } from "../store/index.js";
import { configOption, parseCommand } from "./args.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";
import type { Io } from "./io.js";
import { configFileFor, historyOptions, openHistory } from "./open-history.js";
import { renderTaskLogs, runLogDir, taskLogs } from "./task-logs.js";

/** `parex history --help`, and the options it parses. */
export const historyDoc: CommandDoc = {
  usage: "parex history [RUN] [options]",
  about: [
    "Recent runs of this config, newest first; with a run id (or its first characters), that run's",
    "summary. Runs are kept in .parex/history.db next to the config.",
  ],
  options: {
    ...configOption,
    limit: { type: "string", short: "n", value: "N", help: ["how many runs to list (default 20)"] },
    json: { type: "boolean", help: ["print JSON"] },
  },
};

/** `parex history [RUN]`: returns the exit code. */
export async function historyCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("history", argv, historyDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(historyDoc)}\n`);
    return 0;
  }
  const file = configFileFor(values["config"] as string | undefined, io);
  const store = await openHistory(file, io);
  if (!(store instanceof SqliteStore)) return 1;
  const { dir, config, runnerAlive } = historyOptions(file, io);
  // Runs still running are recorded in their journals; they reach history.db as they end.
  const live = liveRuns(dir, config, runnerAlive);
  try {
    const [id] = positionals;
    if (id !== undefined) {
      const run = store.find(id) ?? live.find((r) => r.id.startsWith(id));
      if (run === undefined)
        throw new ParexError(
          "UNKNOWN_TASK",
          `No run "${id}" in ${join(file, "..", ".parex", "history.db")}. Run \`parex history\` for the list.`,
        );
      const summary = run.summary as RunSummary | undefined;
      const link = run.resumedBy === undefined ? {} : { resumedBy: run.resumedBy };
      const logDir = runLogDir(dirname(file), run.id);
      const logs = taskLogs(logDir, summary?.tasks ?? []);
      if (values["json"] === true) {
        const more = { ...link, ...(logs.size === 0 ? {} : { logs: Object.fromEntries(logs) }) };
        io.stdout(
          `${JSON.stringify(summary === undefined ? run : { ...summary, ...more }, null, 2)}\n`,
        );
      } else {
        io.stdout(`${summary === undefined ? unfinished(run) : renderSummary(summary)}\n`);
        if (summary !== undefined && run.resumedBy !== undefined)
          io.stdout(`  resumed by ${run.resumedBy}\n`);
        if (logs.size > 0) io.stdout(`${renderTaskLogs(logDir, logs)}\n`);
        // Last, as a run ends with it: what failed is what a reader looks for first.
        const failures = summary === undefined ? [] : renderFailures(summary);
        if (failures.length > 0) io.stdout(`\n${failures.join("\n")}\n`);
      }
      return 0;
    }
    const limit = Number((values["limit"] as string | undefined) ?? 20);
    const stored = store.recent(limit);
    // A run committed between the two reads is listed once, as stored.
    const inStore = new Set(stored.map((run) => run.id));
    const runs = [...live.filter((run) => !inStore.has(run.id)), ...stored]
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, limit);
    if (values["json"] === true) {
      io.stdout(
        `${JSON.stringify(
          runs.map(({ summary: _s, ...run }) => ({
            ...run,
            ...brief(_s as RunSummary | undefined),
          })),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    if (runs.length === 0) {
      io.stdout(`No runs of ${basename(file)} yet.\n`);
      return 0;
    }
    const rows = runs.map((run) => {
      const s = brief(run.summary as RunSummary | undefined);
      return [
        run.id,
        utc(run.startedAt),
        run.status,
        String(run.tasks),
        s.makespanMs === undefined ? "-" : duration(s.makespanMs),
        // A run that stopped early has no speedup to speak of (its summary says what ran).
        s.speedup === undefined || (run.summary as RunSummary | undefined)?.complete === false
          ? "-"
          : `${s.speedup.toFixed(2)}×`,
      ];
    });
    io.stdout(
      `${table([["run", "started (UTC)", "status", "tasks", "makespan", "speedup"], ...rows], [false, false, false, true, true, true]).join("\n")}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}

function brief(summary: RunSummary | undefined): {
  makespanMs?: number;
  speedup?: number;
  resumedFrom?: string;
} {
  if (summary === undefined) return {};
  const { makespanMs, speedup, resumedFrom } = summary;
  return { makespanMs, speedup, ...(resumedFrom === undefined ? {} : { resumedFrom }) };
}

/** What is known of a run that has no summary: it is still running, or its runner died. */
function unfinished(run: RunRow): string {
  if (run.status !== "interrupted")
    return `${run.id}: ${run.status} (no summary: the run did not finish)`;
  const last = run.finishedAt === undefined ? "" : `, last heard of at ${utc(run.finishedAt)} UTC`;
  const next =
    run.resumedBy === undefined
      ? `Resume it with \`parex run --resume ${run.id}\`.`
      : `Resumed by ${run.resumedBy}.`;
  return `${run.id}: interrupted (its runner stopped before the run ended${last}). ${next}`;
}

const utc = (ms: number): string => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
