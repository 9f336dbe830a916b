import { suggest } from "../core/index.js";

/** A command of the parex CLI. */
export interface Command {
  readonly name: string;
  readonly summary: string;
}

/** The commands of this version, as `parex --help` lists them and docs/cli.md describes them. */
export const commands: readonly Command[] = [
  { name: "run", summary: "run tasks (all when none is named) and their dependencies" },
  { name: "plan", summary: "dry run: waves, critical path, predicted makespan for 1..N slots" },
  { name: "graph", summary: "print the task graph: --format mermaid | dot | json" },
  { name: "history", summary: "recent runs; parex history RUN shows one run's summary" },
  { name: "stats", summary: "trends by day/week" },
  { name: "serve", summary: "HTTP API + dashboard: orchestration, pipeline runs, metrics" },
  { name: "ui", summary: "the dashboard over this project's run history, on 127.0.0.1" },
  { name: "cache", summary: "the task cache's size; `parex cache clean` empties or trims it" },
  { name: "worker", summary: "run tasks of distributed runs from a Redis queue (BullMQ)" },
  { name: "workers", summary: "the workers on a distributed queue, and its jobs" },
];

/** The closest command name to a mistyped one. */
export function suggestCommand(word: string): string | undefined {
  return suggest(word, [...commands.map((c) => c.name), "help"]);
}

/** `parex --help`. */
export const usage = [
  "Usage: parex <command> [options]",
  "",
  "Commands:",
  ...commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`),
  "",
  "`parex help COMMAND` or `parex COMMAND --help` shows a command's options.",
  "",
  "Options:",
  "  -h, --help     show this help",
  "  -v, --version  print the version",
].join("\n");
