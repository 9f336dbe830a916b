// Where a run page gets its run: the read API on a served dashboard, the page itself in the
// HTML report.
import type { GraphBody, RunInfo } from "../model/api-types.js";
import { ApiFailure, getJson } from "./api.js";
import type { EmbeddedRun } from "./embedded-report.js";

/** A run and its graph, or why it has no graph. */
export interface LoadedRun {
  readonly info: RunInfo;
  readonly graph: GraphBody | undefined;
  /** Why there is no graph (a run recorded before graphs were). */
  readonly graphMissing?: string;
}

/** Where a run page reads its run. */
export interface RunSource {
  readonly load: (runId: string, signal: AbortSignal) => Promise<LoadedRun>;
  /**
   * `api`: the server can also stream a live run's events, sample its machine and send each
   * task's log file. `report`: the run is all there is; a task's log is the summary's last lines.
   */
  readonly kind: "api" | "report";
}

/** The read API: `/api/v1/runs/:id` and `/api/v1/runs/:id/graph`. */
export const apiSource: RunSource = {
  kind: "api",
  load: async (runId, signal) => {
    const base = `/api/v1/runs/${encodeURIComponent(runId)}`;
    const [info, graph] = await Promise.all([
      getJson<RunInfo>(base, signal),
      getJson<GraphBody>(`${base}/graph`, signal).catch((error: unknown) => {
        if (!(error instanceof ApiFailure) || error.status !== 404) throw error;
        return error.message;
      }),
    ]);
    return typeof graph === "string"
      ? { info, graph: undefined, graphMissing: graph }
      : { info, graph };
  },
};

/** The run a report was written with. */
export function reportSource(embedded: EmbeddedRun): RunSource {
  return {
    kind: "report",
    load: (runId) => {
      if (runId !== embedded.run.runId) {
        return Promise.reject(
          new Error(`This report holds run ${embedded.run.runId} only, not ${runId}.`),
        );
      }
      return Promise.resolve(
        embedded.graph === undefined
          ? { info: embedded.run, graph: undefined, graphMissing: "The report holds no graph." }
          : { info: embedded.run, graph: embedded.graph },
      );
    },
  };
}
