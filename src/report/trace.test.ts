import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze, buildGraph } from "../core/index.js";
import { recordedRun } from "../testing/index.js";
import { renderTrace } from "./trace.js";

describe("Chrome trace", () => {
  it("has one lane per slot and each attempt as a complete event in µs", () => {
    const graph = buildGraph([
      { id: "build", run: 0 },
      { id: "lint", run: 0 },
    ]);
    const run = recordedRun({
      concurrency: 2,
      startedAt: 1000,
      tasks: { build: [0, 1000, 1250.5], lint: [1, 1010, 1100] },
    });
    const trace = JSON.parse(renderTrace(run, analyze(graph, run))) as {
      traceEvents: {
        name: string;
        ph: string;
        pid: number;
        tid: number;
        ts?: number;
        dur?: number;
        args?: Record<string, unknown>;
      }[];
    };
    const lanes = trace.traceEvents
      .filter((e) => e.ph === "M" && e.name === "thread_name")
      .map((e) => e.args?.["name"]);
    assert.deepEqual(lanes, ["slot 0", "slot 1"]);
    const complete = trace.traceEvents.filter((e) => e.ph === "X");
    assert.deepEqual(
      complete.map((e) => [e.name, e.tid, e.ts, e.dur, e.args?.["status"]]),
      [
        ["build", 0, 0, 250500, "succeeded"],
        ["lint", 1, 10000, 90000, "succeeded"],
      ],
    );
    for (const event of complete) {
      assert.equal(typeof event.pid, "number");
      assert.ok(Number.isInteger(event.ts) && Number.isInteger(event.dur));
    }
  });
});
