import type { FastifyInstance } from "fastify";
import type { Clock } from "../core/index.js";
import { ApiError } from "./api-error.js";
import type { Verifier } from "./auth.js";
import type { PipelineRun, PipelineRuns } from "./pipeline-runs.js";
import { info, recent, show } from "./run-views.js";
import { apiErrors, errorBodySchema } from "./schemas.js";
import { streamEvents } from "./sse.js";
import type { Tickets } from "./tickets.js";

/** What the run routes need. */
export interface RunsContext {
  readonly runs: PipelineRuns;
  readonly tickets: Tickets;
  readonly verify: Verifier;
  /** A client with this many bytes of events unread is disconnected. */
  readonly maxBufferedBytes: number;
  /** Quiet time after which a keep-alive comment is sent. */
  readonly heartbeatMs: number;
  readonly clock: Clock;
}

const runInfo = {
  type: "object",
  properties: {
    runId: { type: "string" },
    pipeline: { type: "string" },
    status: {
      type: "string",
      description:
        "running, then succeeded | partial | failed | cancelled; interrupted: its runner died before the run ended",
    },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: {
      type: "string",
      format: "date-time",
      description: "A history run's end; for an interrupted run, the last moment recorded of it.",
    },
    resumedBy: { type: "string", description: "The run that resumed it (parex run --resume)." },
    summary: {
      type: "object",
      additionalProperties: true,
      description: "The JSON summary, once the run ended.",
    },
  },
} as const;
const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", maxLength: 100 } },
} as const;
const errors = { 404: errorBodySchema, ...apiErrors } as const;

function find(runs: PipelineRuns, id: string): PipelineRun {
  const run = runs.get(id);
  if (run === undefined) {
    throw new ApiError(
      404,
      "RUN_NOT_FOUND",
      `No run "${id}" on this server. GET /api/v1/runs lists them.`,
    );
  }
  return run;
}

/** Runs of configured pipelines: start, list, show, tickets, and the SSE event stream. */
export function runsRoutes(app: FastifyInstance, context: RunsContext): void {
  const { runs, tickets } = context;
  const tags = ["runs"];
  const security = [{ bearer: [] }];
  app.post<{ Body: { pipeline: string } }>(
    "/api/v1/runs",
    {
      schema: {
        summary: "Start a configured pipeline",
        tags,
        security,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["pipeline"],
          properties: { pipeline: { type: "string", minLength: 1, maxLength: 100 } },
        },
        response: { 202: runInfo, 400: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const run = runs.start(request.body.pipeline);
      return reply
        .status(202)
        .header("location", `/api/v1/runs/${run.runId}`)
        .send(info(run, false));
    },
  );
  app.get<{ Querystring: { limit?: string } }>(
    "/api/v1/runs",
    {
      schema: {
        summary: "Recent runs, newest first: this server's, and those of the history",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: {
              type: "string",
              pattern: "^(100|[1-9][0-9]?)$",
              description: "1–100, default 20",
            },
          },
        },
        tags,
        security,
        response: {
          200: { type: "object", properties: { runs: { type: "array", items: runInfo } } },
          ...apiErrors,
        },
      },
    },
    (request) => ({ runs: recent(runs, Number(request.query.limit ?? 20)) }),
  );
  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id",
    {
      schema: {
        summary: "One run, with its JSON summary once it ended",
        tags,
        security,
        params: idParams,
        response: { 200: runInfo, ...errors },
      },
    },
    (request) => show(runs, request.params.id),
  );
  app.post<{ Params: { id: string } }>(
    "/api/v1/runs/:id/ticket",
    {
      schema: {
        summary: "A single-use ticket to open the run's event stream from a browser",
        tags,
        security,
        params: idParams,
        response: {
          200: {
            type: "object",
            properties: { ticket: { type: "string" }, expiresInSeconds: { type: "integer" } },
          },
          ...errors,
        },
      },
    },
    (request) => tickets.issue(find(runs, request.params.id).runId),
  );
  app.get<{ Params: { id: string }; Querystring: { ticket?: string } }>(
    "/api/v1/runs/:id/events",
    {
      config: { ticketAuth: true },
      schema: {
        summary: "The run's events as server-sent events; resumable with Last-Event-ID",
        description:
          "Authenticate with a bearer token, or with ?ticket= from POST /api/v1/runs/{id}/ticket.",
        tags,
        security: [{ bearer: [] }, {}],
        params: idParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ticket: { type: "string", maxLength: 100 } },
        },
        headers: {
          type: "object",
          properties: { "last-event-id": { type: "string", description: "Resume after this id." } },
        },
        response: {
          200: {
            description: "id, event (the RunEvent type) and data (the RunEvent) per event",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { ticket } = request.query;
      if (ticket === undefined)
        request.caller = await context.verify(request.headers.authorization);
      else if (!tickets.redeem(ticket, request.params.id)) {
        throw new ApiError(
          401,
          "AUTH_BAD_TICKET",
          "The ticket is unknown, used, expired or for another run. Ask for a new one.",
        );
      }
      const run = find(runs, request.params.id);
      const lastId = Number(request.headers["last-event-id"] ?? 0);
      reply.hijack();
      streamEvents(reply.raw, run.events, {
        lastId: Number.isInteger(lastId) && lastId > 0 ? lastId : 0,
        maxBufferedBytes: context.maxBufferedBytes,
        heartbeatMs: context.heartbeatMs,
        clock: context.clock,
        correlationId: request.id,
      });
    },
  );
}
