import { basename, dirname, join } from "node:path";
import type { RunStore } from "../core/index.js";
import { findConfig } from "../config/index.js";
import { runningSince } from "../exec/index.js";
import { makeParexDir, openJournal, openStore, readStore } from "../store/index.js";
import type { OpenStoreOptions } from "../store/index.js";
import type { Io } from "./io.js";

/**
 * The history of a config file, to read: `.parex/history.db` beside it, runs kept per file name.
 * Where there is none yet, an empty one: reading creates nothing.
 */
export function openHistory(configFile: string, io: Io): ReturnType<typeof readStore> {
  return readStore(historyOptions(configFile, io));
}

/**
 * The durations learned for a config file's tasks in earlier runs, and how much they vary, read
 * without writing.
 */
export async function learnedDurations(
  configFile: string,
  io: Io,
): Promise<{
  readonly estimates: ReadonlyMap<string, number>;
  readonly spreads: ReadonlyMap<string, number>;
}> {
  const history = await openHistory(configFile, io);
  try {
    return { estimates: history.estimates(), spreads: history.spreads() };
  } finally {
    await history.close();
  }
}

/** The history of a config file, to record runs in (`parex serve`): created when missing. */
export function recordHistory(configFile: string, io: Io): ReturnType<typeof openStore> {
  return openStore(historyOptions(configFile, io));
}

/**
 * Creates the `.parex` directory of a config file for a run (ignoring itself in git), before
 * anything is written into it; when it cannot be, whatever writes there says so.
 */
export function makeHistoryDir(configFile: string): void {
  try {
    makeParexDir(historyDir(configFile));
  } catch {
    // The journal and the log files each warn that they cannot be written.
  }
}

/** The `.parex` directory of a config file: its history, journals, logs and graph layouts. */
export const historyDir = (configFile: string): string => join(dirname(configFile), ".parex");

/** Where `parex run` records its run while tasks run: a journal, committed to the history at its end. */
export function openRunJournal(configFile: string, io: Io): ReturnType<typeof openJournal> {
  return openJournal(historyOptions(configFile, io));
}

/**
 * Where a config file's history is, and whom to tell when it cannot be written: once per
 * command, however often the command opens it (a run may open it three times).
 */
export const historyOptions = (configFile: string, io: Io): OpenStoreOptions => ({
  dir: historyDir(configFile),
  config: basename(configFile),
  warn: (message) => {
    if (warned.has(io)) return;
    warned.add(io);
    io.stderr(`parex: ${message}\n`);
  },
  runnerAlive: runningSince,
});

/** The commands (by their Io) that have said history cannot be used. */
const warned = new WeakSet<Io>();

/** The config file `--config` names, or the one found walking up (a workspace's package.json otherwise). */
export function configFileFor(flag: string | undefined, io: Io): string {
  return flag ?? findConfig(io.cwd) ?? join(io.cwd, "package.json");
}

export type { RunStore };
