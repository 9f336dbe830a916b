import { dirname } from "node:path";
import { systemClock } from "../exec/index.js";
import type { LocalServer } from "../server/index.js";
import { UsageError } from "./args.js";
import { dashboardDir } from "./dashboard-dir.js";
import { dashboardHistory, taskLogReader } from "./dashboard-history.js";
import { DashboardStore } from "./dashboard-store.js";
import type { Io } from "./io.js";

/** A local dashboard server, listening, and what it holds open. */
export interface Dashboard {
  readonly follow: LocalServer["follow"];
  /** Its base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops it, and closes the history it reads. */
  readonly close: () => Promise<void>;
}

/**
 * Starts the local dashboard of a config's project on 127.0.0.1 (`port` 0: a free one), over
 * its history, and prints its login link on stderr: `parex: dashboard: http://127.0.0.1:PORT/login?ticket=…`.
 * `flag` names the option that chose the port, for the error when it is taken.
 */
export async function startDashboard(options: {
  readonly configFile: string;
  readonly port: number;
  readonly flag: string;
  /** Whether to show the history and the task logs: not for `parex run --no-history`. */
  readonly history: boolean;
  readonly io: Io;
}): Promise<Dashboard> {
  const { configFile, io } = options;
  const { createLocalServer, Sessions } = await import("../server/index.js");
  const history = options.history ? await DashboardStore.open(configFile, io) : undefined;
  const sessions = new Sessions(systemClock);
  const server = await createLocalServer({
    clock: systemClock,
    sessions,
    ...(history === undefined
      ? {}
      : {
          history: {
            ...dashboardHistory(() => history.current, configFile, io),
            refresh: () => history.refresh(),
          },
        }),
    ...(options.history ? { taskLogs: taskLogReader(dirname(configFile)) } : {}),
    dashboardDir: dashboardDir(io.env),
  });
  const close = async (): Promise<void> => {
    await server.app.close();
    history?.close();
  };
  let url: string;
  try {
    url = await server.listen(options.port);
  } catch (error) {
    await close();
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new UsageError(
      `${options.flag} ${options.port}: the port is in use on 127.0.0.1. Choose another, or leave it out for a free one.`,
    );
  }
  io.stderr(`parex: dashboard: ${url}/login?ticket=${sessions.ticket().ticket}\n`);
  return { follow: server.follow, url, close };
}

/** `--port N` / `--dashboard-port N` as a TCP port; 0 (a free one) when not given. */
export function portOf(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(
      `${flag} must be a TCP port (1–65535, or 0 for a free one), got "${value}".`,
    );
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM after it is called: a server kept up until Ctrl-C. */
export function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
