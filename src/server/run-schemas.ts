import { ApiError } from "./api-error.js";
import type { PipelineRun, PipelineRuns } from "./pipeline-runs.js";
import { apiErrors, errorBodySchema } from "./schemas.js";

/** A run as the API shows it, for the OpenAPI document. */
export const runInfo = {
  type: "object",
  properties: {
    runId: { type: "string" },
    pipeline: {
      type: "string",
      description: "The pipeline it runs; absent for a run of `parex run`.",
    },
    status: {
      type: "string",
      description:
        "running, then succeeded | partial | failed | cancelled; interrupted: its runner died before the run ended",
    },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: {
      type: "string",
      format: "date-time",
      description:
        "When it ended (absent while it runs); for an interrupted run, the last moment recorded of it.",
    },
    resumedBy: { type: "string", description: "The run that resumed it (parex run --resume)." },
    summary: {
      type: "object",
      additionalProperties: true,
      description: "The JSON summary, once the run ended.",
    },
  },
} as const;

/** `:id`, a run id or a prefix of one. */
export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", maxLength: 100 } },
} as const;

/** The error answers of a route about one run. */
export const runErrors = { 404: errorBodySchema, ...apiErrors } as const;

/** Run `id` of this server (not of the history); throws ApiError RUN_NOT_FOUND (404). */
export function ownRun(runs: PipelineRuns, id: string): PipelineRun {
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
