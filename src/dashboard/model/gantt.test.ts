import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { axisSpan, barOf, laneCount, ticks } from "./gantt.js";
import type { TaskRow } from "./task-table.js";

const row = (more: Partial<TaskRow>): TaskRow => ({
  id: "a",
  status: "succeeded",
  attempts: 1,
  retries: 0,
  fallbackUsed: false,
  ...more,
});

describe("Gantt geometry", () => {
  it("places a bar on its slot's lane, x and width in proportion to ms", () => {
    const bar = barOf(
      row({ slot: 2, startMs: 250, endMs: 750 }),
      { spanMs: 1000, widthPx: 400 },
      0,
    );
    assert.deepEqual(bar, {
      id: "a",
      lane: 2,
      x: 100,
      width: 200,
      status: "succeeded",
      retried: false,
      fallbackUsed: false,
    });
  });

  it("grows a running bar to now, keeps a 0 ms bar 1 px wide, and draws no bar for a task that never started", () => {
    const scale = { spanMs: 1000, widthPx: 1000 };
    assert.equal(barOf(row({ status: "running", slot: 0, startMs: 100 }), scale, 400)?.width, 300);
    assert.equal(barOf(row({ slot: 0, startMs: 100, endMs: 100 }), scale, 0)?.width, 1);
    assert.equal(barOf(row({ status: "skipped" }), scale, 0), undefined);
  });

  it("marks retried bars and bars saved by a fallback", () => {
    const bar = barOf(
      row({ slot: 0, startMs: 0, endMs: 1, retries: 2, fallbackUsed: true }),
      { spanMs: 1, widthPx: 1 },
      0,
    );
    assert.deepEqual([bar?.retried, bar?.fallbackUsed], [true, true]);
  });

  it("spans the makespan once the run ended; while it runs, the next 1-2-5 span with room, so bars rarely move", () => {
    assert.equal(axisSpan(1234, true), 1234);
    assert.equal(axisSpan(0, true), 1, "never 0: bars divide by it");
    assert.deepEqual(
      [0, 900, 1000, 1900, 4600, 40_000].map((ms) => axisSpan(ms, false)),
      [1000, 1000, 2000, 5000, 10_000, 50_000],
    );
  });

  it("has a lane per slot, more when a task ran on a higher one", () => {
    assert.equal(laneCount([row({ slot: 1 })], 4), 4);
    assert.equal(laneCount([row({ slot: 5 })], 4), 6);
    assert.equal(laneCount([], 0), 1);
  });

  it("puts ticks on round values from 0 to the span", () => {
    assert.deepEqual(ticks(1000), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(ticks(752), [0, 200, 400, 600]);
    assert.deepEqual(ticks(5000), [0, 1000, 2000, 3000, 4000, 5000]);
  });
});
