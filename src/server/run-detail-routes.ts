import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";
import type { PipelineRuns } from "./pipeline-runs.js";
import { lookUp } from "./run-views.js";
import { idParams, runErrors } from "./run-schemas.js";
import { readers } from "./runs-routes.js";

/**
 * The log a task attempt left, as its runner keeps it (both streams, byte for byte), read by the
 * CLI's adapter over `.parex/logs/`: `attempt` undefined means the last one. Undefined when
 * there is none (the task printed nothing, or the run kept no logs).
 */
export type TaskLogs = (
  runId: string,
  taskId: string,
  attempt: number | undefined,
) => { readonly attempt: number; readonly text: string } | undefined;

const graphSchema = {
  type: "object",
  properties: {
    runId: { type: "string" },
    concurrency: { type: "integer", description: "The run's slots." },
    tasks: {
      type: "array",
      description: "In declaration order.",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          dependsOn: { type: "array", items: { type: "string" } },
          group: { type: "string" },
          estimateMs: {
            type: "number",
            description: "Its duration learned from earlier runs; absent when none was.",
          },
        },
      },
    },
    layout: {
      type: "object",
      description:
        "The graph laid out as the dashboard draws it, left to right (px): given for a graph of 100 tasks or more once its first run has laid it out, kept in .parex/layouts/; absent, the dashboard lays it out itself.",
      properties: {
        width: { type: "number" },
        height: { type: "number" },
        nodes: {
          type: "array",
          description: "Each task's box: its top-left corner and size.",
          items: {
            type: "object",
            properties: {
              id: { type: "string" },
              x: { type: "number" },
              y: { type: "number" },
              width: { type: "number" },
              height: { type: "number" },
            },
          },
        },
        edges: {
          type: "array",
          description:
            "Each dependency, from the task depended on to its dependent, as a polyline.",
          items: {
            type: "object",
            properties: {
              from: { type: "string" },
              to: { type: "string" },
              points: {
                type: "array",
                items: {
                  type: "object",
                  properties: { x: { type: "number" }, y: { type: "number" } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** A run's task graph, and a task attempt's log. */
export function runDetailRoutes(
  app: FastifyInstance,
  { runs, logs }: { readonly runs: PipelineRuns; readonly logs: TaskLogs | undefined },
): void {
  const tags = ["runs"];
  const config = { cookieAuth: true };
  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id/graph",
    {
      config,
      schema: {
        summary: "The run's task graph, with the durations learned before it started",
        tags,
        security: readers,
        params: idParams,
        response: { 200: graphSchema, ...runErrors },
      },
    },
    (request) => {
      const run = lookUp(runs, request.params.id);
      const runId = "events" in run ? run.runId : run.id;
      const recorded = "events" in run ? run.graph : runs.history?.graph?.(runId);
      if (recorded === undefined) {
        throw new ApiError(
          404,
          "GRAPH_UNKNOWN",
          `Run ${runId} has no task graph: it was recorded before parex kept graphs in its history. Its summary (GET /api/v1/runs/${runId}) lists its tasks.`,
        );
      }
      return { runId, ...(runs.history?.layout?.(recorded) ?? recorded) };
    },
  );
  app.get<{ Params: { id: string; taskId: string }; Querystring: { attempt?: string } }>(
    "/api/v1/runs/:id/tasks/:taskId/log",
    {
      config,
      schema: {
        summary:
          "A task attempt's output (both streams, as written), the last attempt's by default",
        description:
          "The task id is one path segment: encode it (encodeURIComponent). The attempt served is in the x-parex-attempt header.",
        tags,
        security: readers,
        params: {
          type: "object",
          required: ["id", "taskId"],
          properties: {
            id: { type: "string", maxLength: 100 },
            taskId: { type: "string", maxLength: 1000 },
          },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { attempt: { type: "string", pattern: "^[1-9][0-9]{0,3}$" } },
        },
        response: {
          200: { content: { "text/plain": { schema: { type: "string" } } } },
          ...runErrors,
        },
      },
    },
    async (request, reply) => {
      const run = lookUp(runs, request.params.id);
      const runId = "events" in run ? run.runId : run.id;
      const { taskId } = request.params;
      const attempt =
        request.query.attempt === undefined ? undefined : Number(request.query.attempt);
      const log = logs?.(runId, taskId, attempt);
      if (log === undefined) {
        const which = attempt === undefined ? "" : ` attempt ${attempt}`;
        throw new ApiError(
          404,
          "LOG_UNKNOWN",
          `No log of task "${taskId}"${which} in run ${runId}: the task printed nothing, or the run kept no logs (parex run --no-history).`,
        );
      }
      return reply
        .type("text/plain; charset=utf-8")
        .header("cache-control", "no-cache")
        .header("x-parex-attempt", String(log.attempt))
        .send(log.text);
    },
  );
}
