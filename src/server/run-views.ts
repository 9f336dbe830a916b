import { ApiError } from "./api-error.js";
import type { HistoricRun, PipelineRun, PipelineRuns } from "./pipeline-runs.js";

/** A run as the API shows it. */
export type RunInfo = Readonly<Record<string, unknown>> & {
  readonly runId: string;
  readonly startedAt: string;
};

/** A run of this server, with its summary when asked and known. */
export function info(run: PipelineRun, withSummary: boolean): RunInfo {
  const { runId, pipeline, status, startedAt, finishedAt, summary } = run;
  return {
    runId,
    ...(pipeline === undefined ? {} : { pipeline }),
    status,
    startedAt,
    ...(finishedAt === undefined ? {} : { finishedAt }),
    ...(withSummary && summary ? { summary } : {}),
  };
}

function historic(run: HistoricRun, withSummary: boolean): RunInfo {
  const { id, status, startedAt, finishedAt, resumedBy, summary } = run;
  return {
    runId: id,
    status,
    startedAt: new Date(startedAt).toISOString(),
    ...(finishedAt === undefined ? {} : { finishedAt: new Date(finishedAt).toISOString() }),
    ...(resumedBy === undefined ? {} : { resumedBy }),
    ...(withSummary && summary !== undefined ? { summary } : {}),
  };
}

/** This server's runs, then the history's others, newest first; only of `status` when given. */
export function recent(runs: PipelineRuns, limit: number, status?: string): RunInfo[] {
  const own = runs.list(status).map((run) => info(run, false));
  const ids = new Set(own.map((run) => run.runId));
  const older = (runs.history?.recent(limit, status) ?? [])
    .filter((run) => !ids.has(run.id))
    .map((run) => historic(run, false));
  return [...own, ...older].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
}

/** One run, of this server or of the history; throws ApiError RUN_NOT_FOUND (404). */
export function show(runs: PipelineRuns, id: string): RunInfo {
  const run = lookUp(runs, id);
  return "events" in run ? info(run, true) : historic(run, true);
}

/**
 * Run `id` of this server, else of the history (by id or a unique prefix); throws ApiError
 * RUN_NOT_FOUND (404).
 */
export function lookUp(runs: PipelineRuns, id: string): PipelineRun | HistoricRun {
  const found = runs.get(id) ?? runs.history?.find(id);
  if (found !== undefined) return found;
  throw new ApiError(
    404,
    "RUN_NOT_FOUND",
    `No run "${id}" on this server or in its history. GET /api/v1/runs lists them.`,
  );
}
