import type { FastifyInstance } from "fastify";
import type { Clock } from "../core/index.js";
import type { Access } from "./access.js";
import { authenticate } from "./access.js";
import { ApiError } from "./api-error.js";
import type { PipelineRuns } from "./pipeline-runs.js";
import { recent, show } from "./run-views.js";
import { idParams, ownRun, runErrors, runInfo } from "./run-schemas.js";
import { apiErrors } from "./schemas.js";
import { streamEvents } from "./sse.js";
import type { Tickets } from "./tickets.js";

/** What the run routes need. */
export interface RunsContext {
  readonly runs: PipelineRuns;
  readonly tickets: Tickets;
  readonly access: Access;
  /** A client with this many bytes of events unread is disconnected. */
  readonly maxBufferedBytes: number;
  /** Quiet time after which a keep-alive comment is sent. */
  readonly heartbeatMs: number;
  readonly clock: Clock;
}

/** The statuses `GET /api/v1/runs?status=` filters by. */
const statuses = ["running", "succeeded", "partial", "failed", "cancelled", "interrupted"];

/** Who may read runs: programs with a JWT, or the dashboard with its session cookie. */
export const readers = [{ bearer: [] }, { session: [] }];

/** The runs: list (with a status filter), show, and the SSE event stream. */
export function runsRoutes(app: FastifyInstance, context: RunsContext): void {
  const { runs, tickets } = context;
  const tags = ["runs"];
  const config = { cookieAuth: true };
  app.get<{ Querystring: { limit?: string; status?: string } }>(
    "/api/v1/runs",
    {
      config,
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
            status: { type: "string", enum: statuses, description: "Only runs of this status." },
          },
        },
        tags,
        security: readers,
        response: {
          200: { type: "object", properties: { runs: { type: "array", items: runInfo } } },
          ...apiErrors,
        },
      },
    },
    (request) => ({
      runs: recent(runs, Number(request.query.limit ?? 20), request.query.status),
    }),
  );
  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id",
    {
      config,
      schema: {
        summary: "One run, with its JSON summary once it ended",
        tags,
        security: readers,
        params: idParams,
        response: { 200: runInfo, ...runErrors },
      },
    },
    (request) => show(runs, request.params.id),
  );
  app.get<{ Params: { id: string }; Querystring: { ticket?: string } }>(
    "/api/v1/runs/:id/events",
    {
      config: { ticketAuth: true },
      schema: {
        summary: "The run's events as server-sent events; resumable with Last-Event-ID",
        description:
          "Authenticate with a bearer token, the dashboard's session cookie, or ?ticket= from POST /api/v1/runs/{id}/ticket.",
        tags,
        security: [...readers, {}],
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
          ...runErrors,
        },
      },
    },
    async (request, reply) => {
      const { ticket } = request.query;
      if (ticket === undefined) request.caller = await authenticate(request, context.access, true);
      else if (!tickets.redeem(ticket, request.params.id)) {
        throw new ApiError(
          401,
          "AUTH_BAD_TICKET",
          "The ticket is unknown, used, expired or for another run. Ask for a new one.",
        );
      }
      const run = ownRun(runs, request.params.id);
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
