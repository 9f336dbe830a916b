import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import type { Clock, GraphOutline } from "../core/index.js";
import type { Access } from "./access.js";
import { answerClientError } from "./client-errors.js";
import { correlationId } from "./correlation.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { installErrorHandler } from "./error-handler.js";
import { guard } from "./guard.js";
import { PipelineRuns } from "./pipeline-runs.js";
import type { FollowedRun, RunHistory } from "./pipeline-runs.js";
import type { TaskLogs } from "./run-detail-routes.js";
import { sessionCookieName } from "./session-cookie.js";
import type { Sessions } from "./sessions.js";
import { Tickets } from "./tickets.js";

/** Options of {@link createLocalServer}. */
export interface LocalServerOptions {
  readonly clock: Clock;
  /** The login tickets and sessions: the caller issues the link it prints. */
  readonly sessions: Sessions;
  /** The runs of the history. Default: none. */
  readonly history?: RunHistory;
  /** Reads task logs. Default: none are known. */
  readonly taskLogs?: TaskLogs;
  /** Where the built dashboard is (index.html, assets/). Default: none, /dashboard/ says so. */
  readonly dashboardDir?: string;
  /** Quiet time after which an SSE stream gets a keep-alive comment, in ms. Default 15,000. */
  readonly sseHeartbeatMs?: number;
}

/** A dashboard server for one person on this machine. */
export interface LocalServer {
  /** Not listening until {@link listen}: requests can be injected. */
  readonly app: FastifyInstance;
  /** Shows run `runId`, run by this process, live: its events come through the listener. */
  readonly follow: (runId: string, graph: GraphOutline) => FollowedRun;
  /** Listens on 127.0.0.1 only (port 0: any free one); resolves to its base URL. */
  readonly listen: (port: number) => Promise<string>;
}

/**
 * The dashboard of `parex run --dashboard` and `parex ui`: the same routes as `parex serve`'s,
 * read-only (nothing starts a run or calls a service), without JWTs — a person signs in with
 * the login link printed by the command, as on `parex serve` — bound to 127.0.0.1, so that
 * nobody on another machine reaches it, and nobody else on this one reads runs without it.
 */
export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const app = Fastify({
    logger: false,
    genReqId: correlationId,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    clientErrorHandler: answerClientError,
  });
  // Cookies do not tell ports apart: two local dashboards at once (a run's and `parex ui`'s)
  // would overwrite each other's session under one name.
  let cookieName = sessionCookieName;
  const access: Access = {
    verify: undefined,
    sessions: options.sessions,
    cookieName: () => cookieName,
    signIn:
      "Open the login link parex printed as it started (parex: dashboard: http://127.0.0.1:…/login?ticket=…); for a new one, start `parex ui` again.",
  };
  const runs = new PipelineRuns(
    {
      graphs: {},
      executor: () => {
        throw new Error("a local server starts no runs");
      },
      ...(options.history === undefined ? {} : { history: options.history }),
    },
    options.clock,
    undefined,
  );
  installErrorHandler(app);
  guard(app, { access, draining: new AbortController().signal });
  await app.register((await import("@fastify/helmet")).default, { global: true });
  dashboardRoutes(app, {
    access,
    runs,
    tickets: new Tickets(options.clock, 30_000),
    clock: options.clock,
    logs: options.taskLogs,
    dir: options.dashboardDir,
    maxBufferedBytes: 1 << 20,
    heartbeatMs: options.sseHeartbeatMs ?? 15_000,
  });
  return {
    app,
    follow: (runId, graph) => runs.follow(runId, graph),
    listen: async (port) => {
      await app.listen({ host: "127.0.0.1", port });
      const address = app.server.address();
      const bound = typeof address === "object" && address !== null ? address.port : port;
      cookieName = `${sessionCookieName}_${bound}`;
      return `http://127.0.0.1:${bound}`;
    },
  };
}
