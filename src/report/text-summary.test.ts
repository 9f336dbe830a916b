import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedRun } from "../testing/index.js";
import { analyze, buildGraph, summarize } from "../core/index.js";
import { duration } from "./format.js";
import { renderGantt, renderSummary } from "./text-summary.js";

const graph = buildGraph([
  { id: "build", run: 0 },
  { id: "test", run: 0, dependsOn: ["build"] },
]);
const run = recordedRun({ concurrency: 1, tasks: { build: [0, 0, 1000], test: [0, 1000, 3000] } });

describe("text summary", () => {
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

  it("lists every task and the run's numbers", () => {
    const analysis = analyze(graph, run);
    const text = renderSummary(summarize(run, analysis), analysis);
    assert.match(text, /^parex · run_1 · succeeded · 2 tasks on 1 slots \(strategy all\)/);
    assert.match(text, /test +succeeded +1\.00 s +3\.00 s +2\.00 s +1 +0/);
    assert.match(text, /critical path +3\.00 s +build → test/);
    assert.match(text, /speedup +1\.00×/);
  });
});
