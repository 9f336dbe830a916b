import type { JSX } from "preact";
import { useMemo } from "preact/hooks";
import type { EmbeddedRun } from "./embedded-report.js";
import { RunPage } from "./run-page.js";
import { reportSource } from "./run-source.js";

/**
 * The HTML report (`parex run --report FILE`): the dashboard's run view of the run the page
 * holds, and nothing that needs a server (no runs list, trends, services or live events).
 */
export function ReportApp(props: { readonly report: EmbeddedRun }): JSX.Element {
  const { report } = props;
  const source = useMemo(() => reportSource(report), [report]);
  return (
    <>
      <header class="top">
        <span class="brand">parex</span>
        <span class="muted">
          report of a finished run, written by <code>parex run --report</code>
        </span>
      </header>
      <main>
        <RunPage runId={report.run.runId} source={source} />
      </main>
    </>
  );
}
