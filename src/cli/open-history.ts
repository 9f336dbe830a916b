import { basename, dirname, join } from "node:path";
import type { RunStore } from "../core/index.js";
import { findConfig } from "../config/index.js";
import { openStore } from "../store/index.js";
import type { Io } from "./io.js";

/** The history of a config file: `.parex/history.db` beside it, runs kept per file name. */
export function openHistory(configFile: string, io: Io): ReturnType<typeof openStore> {
  return openStore({
    dir: join(dirname(configFile), ".parex"),
    config: basename(configFile),
    warn: (message) => io.stderr(`parex: ${message}\n`),
  });
}

/** The config file `--config` names, or the one found walking up (a workspace's package.json otherwise). */
export function configFileFor(flag: string | undefined, io: Io): string {
  return flag ?? findConfig(io.cwd) ?? join(io.cwd, "package.json");
}

export type { RunStore };
