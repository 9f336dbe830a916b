import { basename, dirname, join } from "node:path";
import type { RunStore } from "../core/index.js";
import { findConfig } from "../config/index.js";
import { openJournal, openStore } from "../store/index.js";
import type { OpenStoreOptions } from "../store/index.js";
import type { Io } from "./io.js";

/** The history of a config file: `.parex/history.db` beside it, runs kept per file name. */
export function openHistory(configFile: string, io: Io): ReturnType<typeof openStore> {
  return openStore(historyOptions(configFile, io));
}

/** Where `parex run` records its run while tasks run: a journal, committed to the history at its end. */
export function openRunJournal(configFile: string, io: Io): ReturnType<typeof openJournal> {
  return openJournal(historyOptions(configFile, io));
}

/** Where a config file's history is, and whom to tell when it cannot be written. */
export const historyOptions = (configFile: string, io: Io): OpenStoreOptions => ({
  dir: join(dirname(configFile), ".parex"),
  config: basename(configFile),
  warn: (message) => io.stderr(`parex: ${message}\n`),
});

/** The config file `--config` names, or the one found walking up (a workspace's package.json otherwise). */
export function configFileFor(flag: string | undefined, io: Io): string {
  return flag ?? findConfig(io.cwd) ?? join(io.cwd, "package.json");
}

export type { RunStore };
