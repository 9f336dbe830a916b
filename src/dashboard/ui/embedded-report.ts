// The static HTML report's data source (`parex run --report FILE`, docs/dashboard.md, "The
// HTML report"): the report is this app with the run, its graph and the workers' code written
// into the page, so that it opens from file:// with no server and no network.
import type { GraphBody, RunInfo } from "../model/api-types.js";

/** The element holding the run, as `{ run, graph }`: the API's two bodies for it. */
export const reportDataId = "parex-report";
/** The element holding the web workers' code, by worker name (`layout-worker`). */
export const reportWorkersId = "parex-report-workers";

/** A finished run as the report embeds it: what `/api/v1/runs/:id` and `/graph` would answer. */
export interface EmbeddedRun {
  readonly run: RunInfo;
  /** Absent only when the report was written without one. */
  readonly graph?: GraphBody;
}

function jsonOf(id: string): unknown {
  const text = document.getElementById(id)?.textContent;
  return text == null ? undefined : JSON.parse(text);
}

let embedded: EmbeddedRun | undefined | null = null;

/** The run this page was written with, when it is a report; undefined on a served dashboard. */
export function embeddedRun(): EmbeddedRun | undefined {
  if (embedded !== null) return embedded;
  const data = jsonOf(reportDataId) as { readonly run?: Partial<RunInfo> } | undefined;
  if (data !== undefined && typeof data.run?.summary !== "object") {
    throw new Error(
      `This report's #${reportDataId} has no run summary: write it again with parex run --report.`,
    );
  }
  embedded = data as EmbeddedRun | undefined;
  return embedded;
}

const workerUrls = new Map<string, string>();

/**
 * A worker started from the code the report embeds under `name`, or undefined on a served
 * dashboard. A classic worker from a blob URL: Chromium refuses module workers from blob URLs
 * in a page opened from file://, and Vite builds the workers as plain scripts (vite.config.ts).
 * Each blob is made once and kept for the page's life, as a worker may be started again.
 */
export function embeddedWorker(name: string): Worker | undefined {
  let url = workerUrls.get(name);
  if (url === undefined) {
    const workers = jsonOf(reportWorkersId) as Readonly<Record<string, string>> | undefined;
    const code = workers?.[name];
    if (code === undefined) return undefined;
    url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    workerUrls.set(name, url);
  }
  return new Worker(url, { name });
}
