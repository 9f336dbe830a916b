import type { FastifyInstance } from "fastify";
import type { PipelineRuns } from "./pipeline-runs.js";
import { info } from "./run-views.js";
import { idParams, ownRun, runErrors, runInfo } from "./run-schemas.js";
import { errorBodySchema } from "./schemas.js";
import type { Tickets } from "./tickets.js";

/**
 * What programs with a JWT may do to runs: start a configured pipeline, and get a ticket for
 * its event stream. Not on a local server, which only shows runs.
 */
export function runStartRoutes(
  app: FastifyInstance,
  { runs, tickets }: { readonly runs: PipelineRuns; readonly tickets: Tickets },
): void {
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
        response: { 202: runInfo, 400: errorBodySchema, ...runErrors },
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
          ...runErrors,
        },
      },
    },
    (request) => tickets.issue(ownRun(runs, request.params.id).runId),
  );
}
