import type { FastifyInstance } from "fastify";
import { flakyTasks, periodOf, periodStats } from "../core/index.js";
import type { Clock, Period, RunSummary } from "../core/index.js";
import type { HistoricRun, PipelineRuns } from "./pipeline-runs.js";
import { readers } from "./runs-routes.js";
import { apiErrors } from "./schemas.js";

/** How many of the latest runs the trends are drawn from, as `parex stats` by default. */
const latestRuns = 1000;
const dayMs = 86_400_000;

const number = { type: "number" } as const;
const statsSchema = {
  type: "object",
  properties: {
    periods: {
      type: "array",
      description: "Newest first; a period without a finished run is left out.",
      items: {
        type: "object",
        properties: {
          start: { type: "string", description: "The period's first day, YYYY-MM-DD (UTC)." },
          runs: { type: "integer", description: "Finished runs." },
          failed: { type: "integer" },
          failureRate: { type: "number" },
          makespanMs: {
            type: "object",
            properties: { mean: number, p50: number, p95: number, p99: number },
          },
          throughputPerSec: { type: "number", description: "Mean tasks succeeded per second." },
          efficiency: {
            type: ["number", "null"],
            description:
              "Mean parallel efficiency (0–1) of the period's runs that ran every task to its end, whatever their outcome; null when none did (every run stopped early, its dependents skipped or cancelled).",
          },
          interrupted: {
            type: "integer",
            description: "Runs whose runner died before their end: not in the other figures.",
          },
        },
      },
    },
    flaky: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          runs: { type: "integer" },
          failures: { type: "integer" },
          flips: { type: "integer" },
        },
      },
    },
  },
} as const;

/** `GET /api/v1/stats`: the history's trends, as `parex stats` computes them. */
export function statsRoute(
  app: FastifyInstance,
  { runs, clock }: { readonly runs: PipelineRuns; readonly clock: Clock },
): void {
  app.get<{ Querystring: { by?: Period; days?: string } }>(
    "/api/v1/stats",
    {
      config: { cookieAuth: true },
      schema: {
        summary: "Trends of the history by day or week, and its flaky tasks",
        description: `Drawn from the latest ${latestRuns} runs of the history.`,
        tags: ["history"],
        security: readers,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            by: { type: "string", enum: ["day", "week"], description: "Default week." },
            days: {
              type: "string",
              pattern: "^[1-9][0-9]{0,3}$",
              description: "Runs of the last N days (1–9999), default 90.",
            },
          },
        },
        response: { 200: statsSchema, ...apiErrors },
      },
    },
    (request) => {
      const since = clock.now() - Number(request.query.days ?? 90) * dayMs;
      const history = (runs.history?.recent(latestRuns) ?? []).filter(
        (run) => run.startedAt >= since,
      );
      return trends(history, request.query.by ?? "week");
    },
  );
}

function trends(history: readonly HistoricRun[], by: Period) {
  // A summary that cannot be placed in time (damaged, or of no known shape) is left out.
  const summaries = history.flatMap((run) =>
    typeof (run.summary as Partial<RunSummary> | undefined)?.startedAt === "string"
      ? [run.summary as RunSummary]
      : [],
  );
  const interrupted = new Map<string, number>();
  for (const run of history) {
    if (run.status !== "interrupted") continue;
    const period = periodOf(new Date(run.startedAt), by);
    interrupted.set(period, (interrupted.get(period) ?? 0) + 1);
  }
  return {
    periods: periodStats(summaries, by).map((period) => ({
      start: period.period,
      runs: period.runs,
      failed: period.failed,
      failureRate: period.failureRate,
      makespanMs: { mean: period.meanMs, p50: period.p50Ms, p95: period.p95Ms, p99: period.p99Ms },
      throughputPerSec: period.throughputPerSec,
      efficiency: period.efficiency,
      interrupted: interrupted.get(period.period) ?? 0,
    })),
    flaky: flakyTasks(summaries),
  };
}
