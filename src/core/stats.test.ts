import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flakyTasks, percentile, periodStats } from "./stats.js";
import type { RunSummary } from "./summary.js";

const run = (
  startedAt: string,
  makespanMs: number,
  status: RunSummary["status"],
  retried: string[] = [],
): RunSummary => ({
  runId: startedAt,
  status,
  strategy: "all",
  concurrency: 2,
  startedAt,
  makespanMs,
  sequentialMs: makespanMs * 2,
  speedup: 2,
  efficiency: 1,
  criticalPath: [],
  criticalPathMs: 0,
  lowerBoundMs: 0,
  lowerBoundRatio: 1,
  serialFraction: 0,
  idleSlotMs: 0,
  tasks: retried.map((id) => ({ id, status: "succeeded", attempts: 2, fallbackUsed: false })),
  gates: [],
  throughputPerSec: 10,
});

describe("period statistics", () => {
  it("groups runs by day and week with percentiles, failure rate and flaky tasks", () => {
    const runs = [
      run("2026-11-16T10:00:00.000Z", 100, "succeeded", ["e2e"]), // Monday
      run("2026-11-17T10:00:00.000Z", 300, "failed"),
      run("2026-11-17T12:00:00.000Z", 200, "succeeded", ["e2e", "lint"]),
      run("2026-11-23T09:00:00.000Z", 50, "succeeded"), // next Monday
    ];
    const weeks = periodStats(runs, "week");
    assert.deepEqual(
      weeks.map((w) => [w.period, w.runs, w.failed, w.meanMs, w.p50Ms, w.p95Ms, w.failureRate]),
      [
        ["2026-11-23", 1, 0, 50, 50, 50, 0],
        ["2026-11-16", 3, 1, 200, 200, 300, 1 / 3],
      ],
    );
    assert.deepEqual(weeks[1]?.flaky, [
      { id: "e2e", runs: 2 },
      { id: "lint", runs: 1 },
    ]);
    assert.deepEqual(
      periodStats(runs, "day").map((d) => [d.period, d.runs]),
      [
        ["2026-11-23", 1],
        ["2026-11-17", 2],
        ["2026-11-16", 1],
      ],
    );
  });

  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(
      [50, 95, 99, 100].map((p) => percentile(values, p)),
      [50, 95, 99, 100],
    );
    assert.equal(percentile([], 50), 0);
  });

  it("averages the efficiency of runs that ran every task to their end", () => {
    const done = { ...run("2026-11-16T10:00:00.000Z", 100, "succeeded"), efficiency: 0.8 };
    const stopped = {
      ...run("2026-11-16T11:00:00.000Z", 10, "failed"),
      efficiency: 1,
      complete: false,
    };
    assert.equal(periodStats([done, stopped], "day")[0]?.efficiency, 0.8);
  });

  it("gives no efficiency (null), not 0, to a period whose runs all stopped early", () => {
    const stopped = {
      ...run("2026-11-16T11:00:00.000Z", 10, "failed"),
      efficiency: 0.86,
      complete: false,
    };
    const [day] = periodStats([stopped], "day");
    assert.deepEqual([day?.runs, day?.failed, day?.efficiency], [1, 1, null]);
  });

  it("counts a failed run that ran every task in the efficiency", () => {
    const failed = { ...run("2026-11-16T11:00:00.000Z", 10, "failed"), efficiency: 0.86 };
    assert.equal(periodStats([failed], "day")[0]?.efficiency, 0.86);
  });
});

describe("flaky tasks", () => {
  const outcomes = (
    startedAt: string,
    tasks: [string, "succeeded" | "failed" | "skipped", number][],
  ) => ({
    ...run(startedAt, 100, "succeeded"),
    tasks: tasks.map(([id, status, attempts]) => ({ id, status, attempts, fallbackUsed: false })),
  });

  it("are those that passed on a retry or flipped more than once, counted oldest run first", () => {
    const runs = [
      // Given newest first, as the history lists them.
      outcomes("2026-11-20T10:00:00.000Z", [
        ["e2e", "failed", 1],
        ["build", "succeeded", 1],
        ["api", "succeeded", 3],
      ]),
      outcomes("2026-11-19T10:00:00.000Z", [
        ["e2e", "succeeded", 1],
        ["build", "succeeded", 1],
        ["api", "skipped", 0],
      ]),
      outcomes("2026-11-18T10:00:00.000Z", [
        ["e2e", "failed", 1],
        ["build", "failed", 1],
        ["api", "succeeded", 1],
      ]),
    ];
    assert.deepEqual(flakyTasks(runs), [
      { id: "e2e", runs: 3, failures: 2, flips: 2 },
      { id: "api", runs: 2, failures: 1, flips: 0 },
    ]);
  });

  it("leaves out a task that broke once and was fixed", () => {
    const runs = [
      outcomes("2026-11-18T10:00:00.000Z", [["build", "failed", 1]]),
      outcomes("2026-11-19T10:00:00.000Z", [["build", "succeeded", 1]]),
    ];
    assert.deepEqual(flakyTasks(runs), []);
  });
});
