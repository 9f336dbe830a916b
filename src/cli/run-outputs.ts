import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { analyze, newRunId } from "../core/index.js";
import type { Command, GraphOutline, RunSummary, TaskGraph } from "../core/index.js";
import { renderReportPage, renderTrace } from "../report/index.js";
import type { ReportAssets } from "../report/index.js";
import { execute } from "./execute-run.js";
import type { ExecuteOptions } from "./execute-run.js";
import type { Io } from "./io.js";
import type { EndedRun } from "./run-parts.js";

/**
 * `--report FILE` and `--trace FILE`: the HTML report (the dashboard's run view, with the
 * `assets` read before the run) and the Chrome trace of the run.
 */
export function writeFiles(
  values: { readonly report?: unknown; readonly trace?: unknown },
  context: {
    readonly assets: ReportAssets | undefined;
    readonly outline: GraphOutline;
    readonly summary: RunSummary;
    readonly ended: EndedRun;
    readonly io: Io;
    readonly human: (text: string) => void;
  },
): void {
  const { assets, outline, summary, ended, io, human } = context;
  if (typeof values.report === "string" && assets !== undefined) {
    const file = resolve(io.cwd, values.report);
    writeFileSync(file, renderReportPage({ assets, summary, graph: outline }));
    human(`  report: ${file}\n`);
  }
  if (typeof values.trace === "string") {
    const file = resolve(io.cwd, values.trace);
    writeFileSync(file, renderTrace(ended.run, ended.analysis));
    human(`  trace: ${file}\n`);
  }
}

/**
 * `--compare-sequential`: the same tasks run again one at a time, on bare processes (no
 * listeners, no history, no cache), and the measured speedup added to the summary. Not for a
 * run that was interrupted or did not run every task to its end.
 */
export async function compareSequential(
  graph: TaskGraph<Command>,
  context: Pick<ExecuteOptions, "strategy" | "killGraceMs" | "io"> & {
    readonly summary: RunSummary;
    readonly ended: EndedRun;
    readonly human: (text: string) => void;
  },
): Promise<RunSummary> {
  const { summary, ended, human } = context;
  if (!ended.analysis.complete) {
    human("  --compare-sequential: not run, as this run did not run every task to its end\n");
    return summary;
  }
  if (ended.interrupted !== undefined) return summary;
  if ((summary.cache?.hits ?? 0) > 0) {
    human("  --compare-sequential: not run, as cached tasks did not run (add --no-cache)\n");
    return summary;
  }
  human("\nRunning the same tasks one at a time (--compare-sequential) ...\n");
  const sequential = await execute(graph, {
    ...context,
    runId: newRunId(Date.now()),
    concurrency: 1,
    logDir: undefined,
    estimates: new Map(),
    done: new Map(),
    listeners: [],
    wrap: (executor) => executor,
  });
  const measuredSequentialMs = analyze(graph, sequential.run).makespanMs;
  const speedup = summary.makespanMs > 0 ? measuredSequentialMs / summary.makespanMs : 1;
  human(
    `  measured one at a time: ${(measuredSequentialMs / 1000).toFixed(2)} s, so the parallel run was ${speedup.toFixed(2)}× faster\n`,
  );
  return {
    ...summary,
    measuredSequentialMs: Math.round(measuredSequentialMs * 10) / 10,
    speedup: Math.round(speedup * 1000) / 1000,
  };
}
