import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trendColumns } from "./trends.js";

const period = (start: string, mean: number) => ({
  start,
  runs: 2,
  failed: 1,
  failureRate: 0.5,
  makespanMs: { mean, p50: mean - 1, p95: mean + 1, p99: mean + 2 },
  throughputPerSec: 3,
  efficiency: 0.8,
});

describe("trend columns", () => {
  it("orders the periods oldest first, x in seconds since the epoch", () => {
    const columns = trendColumns({
      periods: [period("2026-12-07", 20), period("2026-11-30", 10)],
      flaky: [],
    });
    assert.deepEqual(columns.x, [Date.UTC(2026, 10, 30) / 1000, Date.UTC(2026, 11, 7) / 1000]);
    assert.deepEqual(
      [columns.mean, columns.p50, columns.p99],
      [
        [10, 20],
        [9, 19],
        [12, 22],
      ],
    );
    assert.deepEqual(
      [columns.failureRate, columns.throughput, columns.efficiency],
      [
        [0.5, 0.5],
        [3, 3],
        [0.8, 0.8],
      ],
    );
  });

  it("leaves a period without an efficiency (its runs all stopped early) without a point, not at 0", () => {
    const columns = trendColumns({
      periods: [{ ...period("2026-12-07", 20), efficiency: null }, period("2026-11-30", 10)],
      flaky: [],
    });
    assert.deepEqual(columns.efficiency, [0.8, null]);
  });
});
