import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedRun, taskRecord } from "../testing/index.js";
import { analyze } from "./analysis.js";
import { insight } from "./insight.js";
import { buildGraph } from "./graph.js";
import type { RunResult } from "./run-types.js";
import { summarize } from "./summary.js";

const graph = buildGraph([
  { id: "a", run: 0 },
  { id: "b", run: 0 },
  { id: "c", run: 0, dependsOn: ["a"] },
]);

// Two slots: a [0,4) on slot 0, b [0,2) on slot 1, c [4,7) on slot 0 after a retry of 1 ms at [2,3) on slot 1... kept simple:
const run = recordedRun({
  concurrency: 2,
  startedAt: 10_000,
  runId: "r",
  tasks: { a: [0, 10_000, 10_004], b: [1, 10_000, 10_002], c: [0, 10_004, 10_007] },
});

describe("analyze", () => {
  it("counts no work for tasks the cache restored: a run of hits has no speedup and is not complete", () => {
    const hits: RunResult = {
      ...run,
      tasks: run.tasks.map((task) => ({ ...task, cached: true as const })),
    };
    const analysis = analyze(graph, hits);
    assert.equal(analysis.makespanMs, 7, "the wall time is still the wall time");
    assert.deepEqual([analysis.sequentialMs, analysis.speedup], [0, 0]);
    assert.deepEqual(analysis.criticalPath, []);
    assert.equal(analysis.complete, false);
    const oneHit: RunResult = {
      ...run,
      tasks: run.tasks.map((task) => (task.id === "b" ? { ...task, cached: true as const } : task)),
    };
    assert.equal(analyze(graph, oneHit).sequentialMs, 7, "b's 2 ms are not counted");
  });

  it("computes speedup, efficiency, critical path, lower bound, serial fraction and idle time", () => {
    const analysis = analyze(graph, run);
    assert.equal(analysis.makespanMs, 7);
    assert.equal(analysis.sequentialMs, 9);
    assert.equal(analysis.speedup, 9 / 7);
    assert.equal(analysis.efficiency, 9 / 14);
    assert.deepEqual(analysis.criticalPath, ["a", "c"]);
    assert.equal(analysis.criticalPathMs, 7);
    assert.equal(analysis.lowerBoundMs, 7);
    assert.equal(analysis.lowerBoundRatio, 1);
    assert.equal(analysis.serialFraction, 5 / 7);
    assert.equal(analysis.idleSlotMs, 5);
    assert.deepEqual(
      analysis.lanes[0]?.map((e) => [e.taskId, e.startMs, e.endMs]),
      [
        ["a", 0, 4],
        ["c", 4, 7],
      ],
    );
  });

  it("summarizes the run in the JSON contract's shape", () => {
    const summary = summarize(run, analyze(graph, run));
    assert.equal(summary.startedAt, "1970-01-01T00:00:10.000Z");
    assert.equal(summary.speedup, 1.286);
    assert.deepEqual(summary.tasks[2], {
      id: "c",
      status: "succeeded",
      startMs: 4,
      endMs: 7,
      durationMs: 3,
      attempts: 1,
      fallbackUsed: false,
      slot: 0,
    });
    assert.deepEqual(summary.gates, []);
  });

  it("adds throughput, bottlenecks, the slot distribution and a scalability curve", () => {
    const analysis = analyze(graph, run);
    const more = insight(graph, run, analysis);
    assert.equal(more.throughputPerSec, 3000 / 7);
    assert.deepEqual(more.bottlenecks, [
      { id: "a", durationMs: 4, share: 4 / 7 },
      { id: "c", durationMs: 3, share: 3 / 7 },
    ]);
    assert.deepEqual(more.distribution, { other: [7, 2] });
    assert.ok(Object.hasOwn(more.distribution, "other"));
    assert.deepEqual(
      more.scalability.map((p) => [p.slots, p.makespanMs]),
      [
        [1, 9],
        [2, 7],
        [3, 7],
      ],
    );
  });

  it("keeps a group named __proto__ as a group, away from Object.prototype", () => {
    const proto = buildGraph([{ id: "a", run: 0, group: "__proto__" }]);
    const one = recordedRun({ concurrency: 1, tasks: { a: [0, 0, 5] } });
    const grouped = { ...one, tasks: one.tasks.map((t) => ({ ...t, group: "__proto__" })) };
    const more = insight(proto, grouped, analyze(proto, grouped));
    assert.deepEqual(Object.entries(more.distribution), [["__proto__", [5]]]);
    assert.equal(({} as Record<number, unknown>)[0], undefined);
  });

  describe("a run that did not finish", () => {
    const chain = buildGraph([
      { id: "a", run: 0 },
      { id: "b", run: 0 },
      { id: "c", run: 0, dependsOn: ["a"] },
      { id: "d", run: 0, dependsOn: ["c"] },
    ]);
    const never = { attempts: 0, spans: [] } as const;
    // a fails after 1 s; under fail-fast, b is stopped at the same moment and c, d never start.
    const stopped: RunResult = {
      ...recordedRun({ concurrency: 2, tasks: {} }),
      status: "failed",
      tasks: [
        taskRecord("a", 0, 1000, { status: "failed", reason: "exit-code", exitCode: 2 }),
        taskRecord("b", 0, 1000, {
          status: "cancelled",
          reason: "aborted",
          spans: [{ attempt: 1, slot: 1, start: 0, end: 1000 }],
        }),
        taskRecord("c", 0, 0, { status: "cancelled", reason: "aborted", ...never }),
        taskRecord("d", 0, 0, { status: "cancelled", reason: "aborted", ...never }),
      ],
    };

    it("draws the critical path through tasks that ran, never through tasks that did not start", () => {
      const analysis = analyze(chain, stopped);
      assert.deepEqual(analysis.criticalPath, ["a"]);
      assert.equal(analysis.criticalPathMs, 1000);
      assert.deepEqual(
        insight(chain, stopped, analysis).bottlenecks.map((b) => b.id),
        ["a"],
      );
    });

    it("says it is not complete, and simulates no other slot counts", () => {
      const analysis = analyze(chain, stopped);
      assert.equal(analysis.complete, false);
      assert.deepEqual(insight(chain, stopped, analysis).scalability, []);
      const summary = summarize(stopped, analysis, insight(chain, stopped, analysis));
      assert.equal(summary.complete, false);
      assert.deepEqual(summary.scalability, []);
      assert.equal(summarize(run, analyze(graph, run)).complete, true);
    });

    it("says in words how each task that did not succeed ended", () => {
      const summary = summarize(stopped, analyze(chain, stopped));
      assert.deepEqual(
        summary.tasks.map((t) => [t.id, t.error]),
        [
          ["a", "exit code 2"],
          ["b", "the run stopped after a failed"],
          ["c", "the run stopped after a failed"],
          ["d", "the run stopped after a failed"],
        ],
      );
      const skipped = { status: "skipped", reason: "dependency-failed", ...never } as const;
      const bestEffort: RunResult = {
        ...stopped,
        strategy: "best_effort",
        tasks: [
          stopped.tasks[0]!,
          taskRecord("b", 0, 3000, { spans: [{ attempt: 1, slot: 1, start: 0, end: 3000 }] }),
          taskRecord("c", 0, 0, skipped),
          taskRecord("d", 0, 0, skipped),
        ],
      };
      assert.deepEqual(
        summarize(bestEffort, analyze(chain, bestEffort)).tasks.map((t) => t.error),
        ["exit code 2", undefined, "dependency a failed", "dependency c was skipped (a failed)"],
      );
    });
  });
});
