import type { GraphOutline } from "../core/index.js";
import { UsageError } from "./args.js";
import type { Io } from "./io.js";
import type { RunPart } from "./run-parts.js";
import { interrupted, portOf, startDashboard } from "./dashboard-server.js";
import type { OptionDocs } from "./usage.js";

/** `parex run`'s dashboard options. */
export const dashboardFlags: OptionDocs = {
  dashboard: {
    type: "string",
    value: "[PORT]",
    // Only digits make a port: `parex run --dashboard build` runs build.
    optional: { takes: /^\d{1,5}$/, alone: "0" },
    help: [
      "watch the run in the browser: serves the dashboard on 127.0.0.1 (on",
      "PORT, else a free port) while it runs and prints its login link",
      "(docs/dashboard.md)",
    ],
  },
  "dashboard-port": {
    type: "string",
    value: "N",
    help: ["the dashboard's port (default: a free one); implies --dashboard"],
  },
  "dashboard-keep": {
    type: "boolean",
    help: ["keep the dashboard up after the run, until Ctrl-C; implies --dashboard"],
  },
};

/** The dashboard the flags ask for, or undefined. */
export function dashboardOptions(
  values: Readonly<Record<string, unknown>>,
  session: { readonly signal?: AbortSignal },
): { readonly port: number; readonly keep: boolean } | undefined {
  const port = (values["dashboard-port"] ?? values["dashboard"]) as string | undefined;
  const keep = values["dashboard-keep"] === true;
  if (port === undefined && !keep) return undefined;
  if (session.signal !== undefined) {
    throw new UsageError(
      "parex run: --dashboard shows one run, and --watch makes many: drop one of them.",
    );
  }
  const flag = values["dashboard-port"] === undefined ? "--dashboard" : "--dashboard-port";
  return { port: portOf(`parex run: ${flag}`, port), keep };
}

/** What `parex run --dashboard` needs to show its run. */
export interface DashboardPartOptions {
  readonly runId: string;
  /** The run's graph, with the learned durations it starts with: the dashboard's ETA. */
  readonly graph: GraphOutline;
  readonly configFile: string;
  /** Whether the run uses the history (not with `--no-history`): the dashboard shows it too. */
  readonly remember: boolean;
  /** 0: a free one. */
  readonly port: number;
  /** Keep serving after the run, until Ctrl-C (`--dashboard-keep`). */
  readonly keep: boolean;
  readonly io: Io;
}

/**
 * `parex run --dashboard`: the local dashboard, started before the run and showing it live
 * (its events as they happen, its graph from memory) beside the history; stopped once the run
 * is over and reported, or with `--dashboard-keep` at Ctrl-C.
 */
export async function dashboardPart(options: DashboardPartOptions): Promise<RunPart> {
  const { io } = options;
  const dashboard = await startDashboard({
    configFile: options.configFile,
    port: options.port,
    flag: "parex run: --dashboard-port",
    history: options.remember,
    io,
  });
  const followed = dashboard.follow(options.runId, options.graph);
  return {
    listener: followed.listener,
    conclude: (summary) => {
      followed.end(summary);
      return summary;
    },
    settled: followed.update,
    close: async () => {
      followed.end(); // after a failure: its event stream ends all the same
      if (options.keep) {
        // The history part closed before this one: the run is in the history now, which the
        // dashboard opens at its next request when this run created it.
        io.stderr(`parex: dashboard: still at ${dashboard.url}/dashboard/ (Ctrl-C to stop)\n`);
        await interrupted();
      }
      await dashboard.close();
    },
  };
}
