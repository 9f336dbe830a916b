import { readFileSync } from "node:fs";
import { ParexError } from "../core/index.js";
import { UsageError } from "./args.js";
import { suggestCommand, usage } from "./commands.js";
import { processIo } from "./io.js";
import { startRunEarly } from "./run-early.js";
import type { Io } from "./io.js";

type CommandFn = (argv: readonly string[], io: Io) => Promise<number>;
type LoadCommand = (argv: readonly string[]) => Promise<CommandFn>;

/** How long the process may stay alive after the command has returned. */
const lingerMs = 5_000;

/** Each command is loaded when it is used, so `parex run` does not pay for the others. */
const implemented: Readonly<Record<string, LoadCommand>> = {
  run: async (argv) => {
    startRunEarly(argv, process.cwd());
    return (await import("./watch-command.js")).runOrWatch;
  },
  plan: async () => (await import("./plan-command.js")).planCommand,
  graph: async () => (await import("./graph-command.js")).graphCommand,
  history: async () => (await import("./history-command.js")).historyCommand,
  stats: async () => (await import("./stats-command.js")).statsCommand,
  serve: async () => (await import("./serve-command.js")).serveCommand,
  ui: async () => (await import("./ui-command.js")).uiCommand,
  cache: async () => (await import("./cache-command.js")).cacheCommand,
  worker: async () => (await import("./worker-command.js")).workerCommand,
  workers: async () => (await import("./workers-command.js")).workersCommand,
};

/** The composition root of the parex command: dispatches, and turns errors into exit codes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "help" && rest[0] !== undefined) return main([rest[0], "--help"], io);
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout(`${usage}\n`);
    return 0;
  }
  if (first === "--version" || first === "-v") {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    io.stdout(`${pkg.version}\n`);
    return 0;
  }
  const load = implemented[first];
  if (load === undefined) {
    const guess = suggestCommand(first);
    const hint =
      guess === undefined
        ? "Run `parex --help` for the commands."
        : `Did you mean \`parex ${guess}\`?`;
    io.stderr(`parex: unknown command "${first}". ${hint}\n`);
    return 2;
  }
  try {
    const command = await load(rest);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ParexError || error instanceof UsageError) {
      // "parex run: …" says who already; "parex.config.ts …" does not.
      io.stderr(`${/^parex[ :]/.test(error.message) ? "" : "parex: "}${error.message}\n`);
      // A config that never settled may hold timers or sockets open, and nothing will close them.
      if (error instanceof ParexError && error.code === "CONFIG_TIMEOUT") process.exit(2);
      return 2;
    }
    throw error;
  }
}

const exitCode = await main(process.argv.slice(2), processIo);
process.exitCode = exitCode;
// Every command has ended what it started by now. A timer or socket a config file left open
// would keep the process alive for ever after the work is done: say so, and go.
setTimeout(() => {
  processIo.stderr(
    "parex: finished, but something still holds the process open (a timer or socket the config file started?); exiting.\n",
  );
  process.exit(exitCode);
}, lingerMs).unref();
