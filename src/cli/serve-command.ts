import { basename, join } from "node:path";
import { buildGraph, ParexError, selectTasks } from "../core/index.js";
import type { TaskGraph } from "../core/index.js";
import { findConfig, readConfig, validateConfig } from "../config/index.js";
import type { LoadedConfig } from "../config/index.js";
import { processExecutor, systemClock } from "../exec/index.js";
import { openQueueStatus } from "../distributed/index.js";
import { straysLine } from "../report/index.js";
import { createServer, Sessions } from "../server/index.js";
import { SqliteStore } from "../store/index.js";
import { configOption, parseCommand, slotsFrom, UsageError } from "./args.js";
import { queueFlags, queueFrom } from "./distributed-options.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";
import type { Io } from "./io.js";
import { dashboardHistory, taskLogReader } from "./dashboard-history.js";
import { dashboardDir } from "./dashboard-dir.js";
import { openHistory, recordHistory } from "./open-history.js";
import { resolveAuth } from "./serve-auth.js";

/** `parex serve --help`, and the options it parses. */
export const serveDoc: CommandDoc = {
  usage: "parex serve [options]",
  about: [
    "Serves the HTTP API of the config's server section: POST /api/v1/orchestrate (the configured",
    "services), runs of the configured pipelines with server-sent events, the run history, /health,",
    "/metrics and OpenAPI docs at /docs; and the dashboard at /dashboard/. Every /api route needs a",
    "JWT (Authorization: Bearer); people open the dashboard with the login link printed at start.",
  ],
  options: {
    ...configOption,
    port: {
      type: "string",
      value: "N",
      help: ["port to listen on (default: server.port, else 3000)"],
    },
    host: {
      type: "string",
      value: "HOST",
      help: ["address to listen on (default: server.host, else 127.0.0.1)"],
    },
    ...queueFlags,
  },
  footer: [
    "Environment:",
    "  PAREX_JWT_SECRET    the HS256 secret (another name with server.auth.secretEnv)",
    "",
    "SIGTERM or Ctrl-C stops accepting requests, lets running pipelines finish (or cancels them,",
    "per server.shutdown) and exits 0.",
  ],
};

/** `parex serve`: runs until SIGTERM or SIGINT; returns the exit code. */
export async function serveCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand("serve", argv, serveDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(serveDoc)}\n`);
    return 0;
  }
  const config = await loadConfig(values["config"] as string | undefined, io);
  const server = config.server ?? {};
  const port = parsePort((values["port"] as string | undefined) ?? server.port ?? 3000);
  const host = (values["host"] as string | undefined) ?? server.host ?? "127.0.0.1";
  const auth = resolveAuth(server.auth, { env: io.env, dir: config.dir });
  // Only pipelines write runs: a server of services alone reads the history, creating nothing.
  const pipelines = Object.keys(config.server?.pipelines ?? {}).length > 0;
  const store = await (pipelines ? recordHistory : openHistory)(config.file, io);
  const sessions = new Sessions(systemClock);
  const queue = queueFrom("serve", values, io.env, {
    ...config.distributed,
    file: basename(config.file),
  });
  const status =
    queue === undefined
      ? undefined
      : await openQueueStatus({
          redisUrl: queue.url,
          redisFrom: queue.from,
          ...(queue.queue === undefined ? {} : { queue: queue.queue }),
        });
  const app = await createServer({
    services: server.services ?? {},
    auth,
    clock: systemClock,
    logger: true,
    sessions,
    dashboardDir: dashboardDir(io.env),
    taskLogs: taskLogReader(config.dir),
    ...(status === undefined ? {} : { queue: () => status.read() }),
    pipelines: {
      graphs: pipelineGraphs(config),
      executor: (runId) =>
        processExecutor({
          ...(config.killGraceMs === undefined ? {} : { killGraceMs: config.killGraceMs }),
          runId,
          // As `parex run` keeps them: the dashboard shows a task's log from there.
          ...(pipelines ? { logDir: join(config.dir, ".parex", "logs", runId) } : {}),
          onStrays: (strays) => io.stderr(`${straysLine(strays)} (run ${runId})\n`),
        }),
      store,
      ...(store instanceof SqliteStore
        ? { history: dashboardHistory(() => store, config.file, io) }
        : {}),
      ...(config.strategy === undefined ? {} : { strategy: config.strategy }),
      // As `parex run` without -j: the config's concurrency, else one slot per CPU.
      concurrency: slotsFrom(config.concurrency),
    },
    ...(server.rateLimit === undefined ? {} : { rateLimit: server.rateLimit }),
    ...(server.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: server.bodyLimitBytes }),
    ...(server.admission === undefined ? {} : { admission: server.admission }),
    ...(server.shutdown === undefined
      ? {}
      : { shutdown: { runs: server.shutdown.runs, graceMs: server.shutdown.graceMs ?? 10_000 } }),
  });
  const address = await app.listen({ port, host });
  io.stderr(`parex serve: listening on ${address} (API docs at ${address}/docs)\n`);
  // Said once, at start: a link works once, for 5 minutes; POST /api/v1/dashboard/login makes more.
  io.stderr(`parex serve: dashboard: ${address}/login?ticket=${sessions.ticket().ticket}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  io.stderr(`parex serve: ${signal}: no new requests; finishing what runs\n`);
  await app.close();
  await status?.close();
  io.stderr("parex serve: stopped\n");
  return 0;
}

async function loadConfig(flag: string | undefined, io: Io): Promise<LoadedConfig> {
  const file = flag ?? findConfig(io.cwd);
  if (file === undefined) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `No parex config found in ${io.cwd} or the directories above it. Create parex.config.json with a "server" section, or pass --config FILE.`,
    );
  }
  return validateConfig(await readConfig(file), file);
}

/** Each pipeline's graph: its tasks and everything they depend on. */
function pipelineGraphs(config: LoadedConfig): Record<string, TaskGraph> {
  const source = basename(config.file);
  return Object.fromEntries(
    Object.entries(config.server?.pipelines ?? {}).map(([name, ids]) => [
      name,
      buildGraph(selectTasks(config.tasks, ids), { source }),
    ]),
  );
}

function parsePort(value: string | number): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`parex serve: --port must be a TCP port (0–65535), got "${value}".`);
  }
  return port;
}
