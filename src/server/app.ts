import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { Breakers } from "../core/index.js";
import type { Clock, Executor, ServiceSpec } from "../core/index.js";
import { Admission, admissionDefaults } from "./admission.js";
import type { AdmissionLimits } from "./admission.js";
import type { Access } from "./access.js";
import { ApiError } from "./api-error.js";
import { watchLoopDelay } from "./loop-delay.js";
import { createVerifier } from "./auth.js";
import type { AuthOptions, Caller } from "./auth.js";
import { answerClientError } from "./client-errors.js";
import { correlationId } from "./correlation.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { installErrorHandler } from "./error-handler.js";
import { guard } from "./guard.js";
import { parseJsonBody } from "./json-body.js";
import { httpExecutor } from "./http-executor.js";
import type { ServiceRequest } from "./http-executor.js";
import { Latencies } from "./latencies.js";
import { logSerializers } from "./log-serializers.js";
import { newLinkRoute } from "./login-routes.js";
import { Metrics } from "./metrics.js";
import { orchestrateRoute } from "./orchestrate-route.js";
import { registerDocs } from "./docs.js";
import { operationsRoutes } from "./operations-routes.js";
import { PipelineRuns } from "./pipeline-runs.js";
import type { PipelineOptions } from "./pipeline-runs.js";
import type { TaskLogs } from "./run-detail-routes.js";
import { runStartRoutes } from "./run-start-routes.js";
import type { QueueReader } from "./queue-snapshot.js";
import { workersRoute } from "./workers-route.js";
import { sessionCookieName } from "./session-cookie.js";
import { Sessions } from "./sessions.js";
import { Tickets } from "./tickets.js";
import type { ServerState } from "./server-state.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller of an /api route. */
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** The route checks a bearer token or an SSE ticket itself. */
    ticketAuth?: boolean;
    /** The dashboard reads it: a session cookie is taken instead of a bearer token. */
    cookieAuth?: boolean;
  }
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** What `POST /api/v1/orchestrate` may call: nothing else. */
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** How bearer tokens are verified. */
  readonly auth: AuthOptions;
  /** Time for timeouts, backoff, breakers and token expiry. */
  readonly clock: Clock;
  /** Calls services. Default: undici through {@link httpExecutor}. */
  readonly executor?: Executor<ServiceRequest>;
  /** Circuit breakers of the services. Default: the server's own. */
  readonly breakers?: Breakers;
  /** Requests per client IP per window; false turns limiting off. Default 100 per 60,000 ms. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number } | false;
  /**
   * Orchestrations served at once, and how many may wait for how long; beyond that a request
   * is shed with 503 OVERLOADED and Retry-After. false: no bound. Default
   * {@link admissionDefaults}.
   */
  readonly admission?: Partial<AdmissionLimits> | false;
  /** Largest accepted request body, in bytes. Default 64 KiB. */
  readonly bodyLimitBytes?: number;
  /** Log requests as JSON lines (pino). Default false. */
  readonly logger?: boolean;
  /** Pipelines `POST /api/v1/runs` may start, and how their tasks run. Default: none. */
  readonly pipelines?: PipelineOptions;
  /**
   * On close (SIGTERM): `finish` lets running pipelines end within `graceMs` before cancelling
   * them; `cancel` stops them at once. Default `{ runs: "finish", graceMs: 10_000 }`.
   */
  readonly shutdown?: { readonly runs: "cancel" | "finish"; readonly graceMs: number };
  /** An SSE client with this many bytes unread is disconnected (it resumes). Default 1 MiB. */
  readonly sseMaxBufferedBytes?: number;
  /** Quiet time after which an SSE stream gets a keep-alive comment, in ms. Default 15,000. */
  readonly sseHeartbeatMs?: number;
  /** How long an SSE ticket stays valid, in ms. Default 30,000. */
  readonly ticketTtlMs?: number;
  /**
   * The dashboard's login tickets and sessions. Default: the server's own; give one to issue
   * login links from outside (`parex serve` prints one as it starts).
   */
  readonly sessions?: Sessions;
  /** Where the built dashboard is (index.html, assets/). Default: none, /dashboard/ says so. */
  readonly dashboardDir?: string;
  /** Reads task logs for `GET /api/v1/runs/:id/tasks/:taskId/log`. Default: none are known. */
  readonly taskLogs?: TaskLogs;
  /**
   * The distributed queue, for `GET /api/v1/workers` and the queue's Prometheus gauges.
   * Default: none (the route answers 404 QUEUE_NOT_CONFIGURED).
   */
  readonly queue?: QueueReader;
}

/** How a person gets a login link to `parex serve`'s dashboard. */
const serveSignIn =
  "Get a new login link: parex serve prints one as it starts, and POST /api/v1/dashboard/login (with a JWT) returns one.";

/**
 * The HTTP service of parex on Fastify, not yet listening: the orchestration API, health,
 * metrics and OpenAPI docs, behind JWT auth, rate limits and security headers; and the
 * dashboard, behind a login link and its session cookie.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === true ? { serializers: logSerializers } : false,
    genReqId: correlationId,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // Unknown fields are refused, never silently dropped; types are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    // Our own 503 (see `guard`) keeps the error shape; Fastify's would not.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
  });
  const shutdown = new AbortController();
  const draining = new AbortController();
  const metrics = new Metrics();
  const limits =
    options.admission === false ? undefined : { ...admissionDefaults, ...options.admission };
  const runs = new PipelineRuns(
    options.pipelines ?? { graphs: {}, executor: noExecutor },
    options.clock,
    metrics,
    limits?.maxPipelineRuns,
  );
  const admission = limits === undefined ? undefined : new Admission(limits, options.clock);
  if (admission !== undefined) {
    metrics.admission(admission);
    const stopWatching = watchLoopDelay(250, (delayMs) => admission.adjust(delayMs));
    app.addHook("onClose", (_app, done) => {
      stopWatching();
      done();
    });
  }
  const state: ServerState = {
    services: options.services,
    executor: options.executor ?? httpExecutor(),
    clock: options.clock,
    breakers: options.breakers ?? new Breakers(),
    metrics,
    admission,
    latencies: new Latencies(100),
    runs,
    shutdown: shutdown.signal,
    draining: draining.signal,
  };
  const access: Access = {
    verify: createVerifier(options.auth, options.clock),
    sessions: options.sessions ?? new Sessions(options.clock),
    cookieName: () => sessionCookieName,
    signIn: serveSignIn,
  };
  installErrorHandler(app);
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    try {
      done(null, parseJsonBody(text as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  guard(app, { access, draining: draining.signal, metrics });
  const stopping = options.shutdown ?? { runs: "finish", graceMs: 10_000 };
  // Before the listener closes: open event streams end when their runs do.
  app.addHook("preClose", async () => {
    draining.abort();
    // Orchestrations are bounded by their deadlines: under `finish` they end on their own.
    if (stopping.runs === "cancel") shutdown.abort(new Error("server shutting down"));
    await runs.stop(stopping.runs, stopping.graceMs);
  });
  await registerPlugins(app, options.rateLimit);
  orchestrateRoute(app, state);
  operationsRoutes(app, state);
  workersRoute(app, options.queue);
  if (options.queue !== undefined) metrics.queue(options.queue);
  const tickets = new Tickets(options.clock, options.ticketTtlMs ?? 30_000);
  runStartRoutes(app, { runs, tickets });
  newLinkRoute(app, access);
  dashboardRoutes(app, {
    access,
    runs,
    tickets,
    clock: options.clock,
    logs: options.taskLogs,
    dir: options.dashboardDir,
    maxBufferedBytes: options.sseMaxBufferedBytes ?? 1 << 20,
    heartbeatMs: options.sseHeartbeatMs ?? 15_000,
  });
  return app;
}

/** Security headers, the rate limit and the OpenAPI docs: registered before the routes. */
async function registerPlugins(
  app: FastifyInstance,
  rateLimit: ServerOptions["rateLimit"],
): Promise<void> {
  await app.register((await import("@fastify/helmet")).default, { global: true });
  if (rateLimit !== false) {
    const limits = rateLimit ?? { max: 100, timeWindowMs: 60_000 };
    await app.register((await import("@fastify/rate-limit")).default, {
      max: limits.max,
      timeWindow: limits.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          "RATE_LIMITED",
          `Too many requests: at most ${context.max} per ${context.after}. Retry later.`,
        ),
    });
  }
  await registerDocs(app);
}

const noExecutor = (): Executor<unknown> => {
  throw new Error("no pipelines are configured");
};
