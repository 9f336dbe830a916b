import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedRun, taskRecord } from "../testing/index.js";
import { analyze, buildGraph, insight, summarize } from "../core/index.js";
import type { RunResult, RunSummary } from "../core/index.js";
import { renderCompactSummary } from "./compact-summary.js";
import { duration } from "./format.js";
import { renderGantt, renderSummary } from "./text-summary.js";

const graph = buildGraph([
  { id: "build", run: 0 },
  { id: "test", run: 0, dependsOn: ["build"] },
]);
const run = recordedRun({ concurrency: 1, tasks: { build: [0, 0, 1000], test: [0, 1000, 3000] } });
const widest = (text: string): number => Math.max(...text.split("\n").map((l) => l.length));

/** A run of `ids` as a chain, one after another, each taking 1 s on one slot. */
function chainRun(ids: readonly string[]): { summary: RunSummary; result: RunResult } {
  const g = buildGraph(
    ids.map((id, i) => ({ id, run: 0, dependsOn: i === 0 ? [] : [ids[i - 1] ?? ""] })),
  );
  const result = recordedRun({
    concurrency: 4,
    tasks: Object.fromEntries(ids.map((id, i) => [id, [0, i * 1000, (i + 1) * 1000] as const])),
  });
  const analysis = analyze(g, result);
  return { summary: summarize(result, analysis, insight(g, result, analysis)), result };
}

describe("text summary", () => {
  it("says what the cache did once in each view, and no speedup for a run the cache restored", () => {
    const hits: RunResult = {
      ...run,
      tasks: run.tasks.map((task) => ({ ...task, cached: true as const })),
    };
    const analysis = analyze(graph, hits);
    const summary: RunSummary = {
      ...summarize(hits, analysis),
      tasks: summarize(hits, analysis).tasks.map((t) => ({ ...t, cache: "hit" as const })),
      cache: { hits: 2, misses: 0, savedMs: 41_200 },
    };
    for (const text of [renderCompactSummary(summary), renderSummary(summary, analysis)]) {
      assert.equal(
        text.match(/cache: 2 hits, 0 misses · saved 41.20 s of task time/g)?.length,
        1,
        text,
      );
      assert.match(text, /figures cover what ran \(2 restored from the cache\)/);
    }
    assert.doesNotMatch(renderCompactSummary(summary), /speedup/);
  });

  it("formats durations for people", () => {
    assert.deepEqual(
      [duration(4.25), duration(850), duration(1240), duration(185_000)],
      ["4.3 ms", "850 ms", "1.24 s", "3m 05s"],
    );
  });

  it("draws each slot's tasks to scale", () => {
    const analysis = analyze(graph, run);
    assert.deepEqual(renderGantt(analysis, 12), ["slot 0  bui|test···|", "        0     3.00 s"]);
  });

  it("lists every task and the run's numbers in the full analysis", () => {
    const analysis = analyze(graph, run);
    const text = renderSummary(summarize(run, analysis), analysis);
    assert.match(
      text,
      /^parex · run_1 · succeeded · 2 tasks on 1 slots · 3\.00 s\n {2}strategy all · started 1970-01-01 00:00:00 UTC\n/,
    );
    assert.match(text, /\n {2}test +succeeded +1\.00 s +2\.00 s +1 +0\n/);
    assert.match(text, /\n {2}critical path +3\.00 s +build → test\n/);
    assert.match(text, /\n {2}speedup +1\.00× +sum of task times \/ makespan\n/);
  });

  it("closes a run with a compact summary: the numbers that matter, in 80 columns", () => {
    const { summary } = chainRun(["build", "test"]);
    assert.equal(
      renderCompactSummary(summary),
      [
        "parex · run_1 · succeeded · 2 tasks on 4 slots · 2.00 s",
        "  speedup        1.00×   25 % efficiency; 2.00 s of work",
        "  critical path  2.00 s  build → test",
        "  lower bound    2.00 s  this run took 1.00× of it",
      ].join("\n"),
    );
  });

  it("keeps the compact and the full summary within 80 columns, long ids and paths included", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `@company/package-number-${i}#build`);
    const { summary, result } = chainRun(ids);
    const measured = {
      ...summary,
      tasks: summary.tasks.map((t) => ({ ...t, cpuMs: 1234, peakRssBytes: 2 ** 30 })),
    };
    const compact = renderCompactSummary(measured);
    assert.match(
      compact,
      /\n {2}critical path {2}12\.00 s {2}@company\/package-n… → … 10 more → @company\/package-n…\n/,
    );
    assert.ok(widest(compact) <= 80, compact);
    const full = renderSummary(
      measured,
      analyze(
        buildGraph(
          ids.map((id, i) => ({ id, run: 0, dependsOn: i === 0 ? [] : [ids[i - 1] ?? ""] })),
        ),
        result,
      ),
    );
    assert.ok(
      widest(full) <= 80,
      full
        .split("\n")
        .filter((l) => l.length > 80)
        .join("\n"),
    );
  });

  it("says a run that stopped early did not run everything, failures first, and gives it no speedup", () => {
    const stopped: RunResult = {
      ...run,
      status: "failed",
      tasks: [
        taskRecord("build", 0, 1000, { status: "failed", reason: "exit-code", exitCode: 2 }),
        taskRecord("test", 0, 0, {
          status: "cancelled",
          reason: "aborted",
          attempts: 0,
          spans: [],
        }),
      ],
    };
    const analysis = analyze(graph, stopped);
    const summary = summarize(stopped, analysis, insight(graph, stopped, analysis));
    assert.equal(
      renderCompactSummary(summary),
      [
        "parex · run_1 · failed · 2 tasks on 1 slots · 1.00 s",
        "  ✖ 1 failed · ○ 1 cancelled",
        "  figures cover what ran (1 not started)",
      ].join("\n"),
    );
    const full = renderSummary(summary, analysis);
    assert.match(
      full,
      /\n {2}✖ 1 failed · ○ 1 cancelled\n {2}figures cover what ran \(1 not started\)\n/,
    );
    assert.match(full, /\n {2}critical path +1\.00 s +build\n/);
    assert.doesNotMatch(full, /what other slot counts would give/);
  });
});
