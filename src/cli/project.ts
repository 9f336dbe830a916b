import { basename } from "node:path";
import { buildGraph, ParexError, selectTasks } from "../core/index.js";
import type { Command, TaskGraph } from "../core/index.js";
import { findConfig, readConfig, validateConfig } from "../config/index.js";
import type { LoadedConfig } from "../config/index.js";

/** A config and the graph of the tasks asked for. */
export interface Project {
  readonly config: LoadedConfig;
  readonly graph: TaskGraph<Command>;
}

/** Finds (or takes) the config, validates it, and builds the graph of the named tasks. */
export async function loadProject(options: {
  readonly configFile: string | undefined;
  readonly cwd: string;
  readonly tasks: readonly string[];
}): Promise<Project> {
  const file = options.configFile ?? findConfig(options.cwd);
  if (file === undefined) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `No parex config found in ${options.cwd} or the directories above it. Create parex.config.json (or .ts, .yaml) with "tasks", or pass --config FILE.`,
    );
  }
  const config = validateConfig(await readConfig(file), file);
  const graph = buildGraph(selectTasks(config.tasks, options.tasks), {
    source: basename(config.file),
  });
  return { config, graph };
}
