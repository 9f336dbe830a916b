import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { logFileName } from "../exec/index.js";
import type { RunHistory, TaskLogs } from "../server/index.js";
import { liveRuns } from "../store/index.js";
import type { SqliteStore } from "../store/index.js";
import { dashboardDir } from "./dashboard-dir.js";
import { GraphLayouts, keptFrom } from "./graph-layouts.js";
import type { Io } from "./io.js";
import { historyOptions } from "./open-history.js";
import { runLogDir } from "./task-logs.js";

/** The most of a log the dashboard is sent: its end, where a failure shows. */
const maxLogBytes = 1 << 20;

/**
 * The history as the dashboard reads it: the runs of `history.db`, and those that other
 * runners are recording right now (their journals), as `parex history` lists them. `store`
 * gives the store to read at each request (a local dashboard's changes: DashboardStore).
 */
export function dashboardHistory(store: () => SqliteStore, configFile: string, io: Io): RunHistory {
  const { dir, config, runnerAlive } = historyOptions(configFile, io);
  const live = () => liveRuns(dir, config, runnerAlive);
  const layouts = GraphLayouts.open(dir, dashboardDir(io.env));
  return {
    recent: (limit, status) => {
      const stored = store().recent(limit, status);
      if (status !== undefined && status !== "running") return stored;
      // A run committed between the two reads is listed once, as stored.
      const inStore = new Set(stored.map((run) => run.id));
      return [...live().filter((run) => !inStore.has(run.id)), ...stored]
        .sort((a, b) => b.startedAt - a.startedAt)
        .slice(0, limit);
    },
    find: (id) => store().find(id) ?? live().find((run) => run.id.startsWith(id)),
    graph: (runId) => store().graph(runId),
    layout: (graph) => {
      if (layouts === undefined) return graph;
      const laid = layouts.withLayout(graph);
      // A large graph without its layout kept (recorded by an older parex or with another build
      // of the dashboard, or a pipeline's of parex serve): laid out now, for the next view.
      if (laid.layout === undefined && graph.tasks.length >= keptFrom) layouts.layOut(graph);
      return laid;
    },
  };
}

/**
 * Reads the logs runs left in `.parex/logs/<run>/` beside the config: an attempt's file, or
 * the last attempt's that has one. Of a log over 1 MiB, its last MiB, saying so.
 */
export function taskLogReader(configDir: string): TaskLogs {
  return (runId, taskId, attempt) => {
    if (!/^[\w-]+$/.test(runId)) return undefined; // a run id is never a path
    const dir = runLogDir(configDir, runId);
    const chosen = attempt ?? lastAttempt(dir, taskId);
    if (chosen === undefined) return undefined;
    const name = logFileName(taskId, chosen);
    const text = tail(join(dir, name), `.parex/logs/${runId}/${name}`);
    return text === undefined ? undefined : { attempt: chosen, text };
  };
}

/** The highest attempt of `taskId` with a log file in `dir` (an attempt that printed nothing has none). */
function lastAttempt(dir: string, taskId: string): number | undefined {
  const stem = logFileName(taskId, 0).slice(0, -".0.log".length);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const attempts = names.flatMap((name) => {
    const attempt = name.startsWith(`${stem}.`)
      ? /^(\d+)\.log$/.exec(name.slice(stem.length + 1))
      : null;
    return attempt?.[1] === undefined ? [] : [Number(attempt[1])];
  });
  return attempts.length === 0 ? undefined : Math.max(...attempts);
}

/** The file's text, or its last {@link maxLogBytes} after a line saying what was left out. */
function tail(file: string, shown: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, maxLogBytes);
    const bytes = Buffer.alloc(length);
    readSync(fd, bytes, 0, length, size - length);
    const cut = size - length;
    const note =
      cut === 0 ? "" : `[the first ${cut} bytes are left out: the whole log is ${shown}]\n`;
    return note + bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
