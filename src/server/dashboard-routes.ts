import type { FastifyInstance } from "fastify";
import type { Clock } from "../core/index.js";
import type { Access } from "./access.js";
import { dashboardFiles } from "./dashboard-files.js";
import { loginRoute } from "./login-routes.js";
import type { PipelineRuns } from "./pipeline-runs.js";
import { runDetailRoutes } from "./run-detail-routes.js";
import type { TaskLogs } from "./run-detail-routes.js";
import { runsRoutes } from "./runs-routes.js";
import { statsRoute } from "./stats-route.js";
import { systemRoute } from "./system-route.js";
import type { Tickets } from "./tickets.js";

/** What the dashboard's routes need, on `parex serve` and on a local server alike. */
export interface DashboardContext {
  readonly access: Access;
  readonly runs: PipelineRuns;
  readonly tickets: Tickets;
  readonly clock: Clock;
  readonly logs: TaskLogs | undefined;
  /** Where the built dashboard is; undefined: /dashboard/ says to build it. */
  readonly dir: string | undefined;
  readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
}

/**
 * The dashboard and everything it reads: the login link, its files, the runs with their
 * events, graphs and logs, the history's trends and the machine's load.
 */
export function dashboardRoutes(app: FastifyInstance, context: DashboardContext): void {
  const { access, runs, clock } = context;
  const history = runs.history;
  if (history?.refresh !== undefined) {
    // After authentication (onRequest): a request without a session costs nothing.
    app.addHook("preHandler", () => history.refresh?.() ?? Promise.resolve());
  }
  loginRoute(app, access);
  dashboardFiles(app, { dir: context.dir, access });
  runsRoutes(app, context);
  runDetailRoutes(app, { runs, logs: context.logs });
  statsRoute(app, { runs, clock });
  systemRoute(app);
}
