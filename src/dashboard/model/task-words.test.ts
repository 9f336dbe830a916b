import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { barTitle } from "./task-words.js";

const row = {
  id: "test",
  status: "succeeded" as const,
  slot: 1,
  startMs: 300,
  endMs: 800,
  attempts: 2,
  retries: 1,
  fallbackUsed: false,
};

describe("a task in words (the charts' tooltip)", () => {
  it("says its times, slot, attempts, CPU time and peak memory", () => {
    assert.equal(
      barTitle({ ...row, cpuMs: 120, peakRssBytes: 48 * 1024 ** 2 }),
      [
        "test · succeeded",
        "300 ms → 800 ms (500 ms), slot 1",
        "attempts: 2, 1 retry",
        "CPU: 120 ms",
        "peak memory: 48.0 MiB",
      ].join("\n"),
    );
  });

  it("has no CPU or memory line for a task that ended before it was sampled", () => {
    assert.equal(
      barTitle(row),
      ["test · succeeded", "300 ms → 800 ms (500 ms), slot 1", "attempts: 2, 1 retry"].join("\n"),
    );
  });

  it("has a memory line without a CPU line when no CPU tick was seen", () => {
    assert.match(barTitle({ ...row, peakRssBytes: 2048 }), /retry\npeak memory: 2\.0 KiB$/);
  });

  it("names the distributed worker that ran it", () => {
    assert.match(barTitle({ ...row, worker: "ci-7/4242" }), /slot 1\nworker: ci-7\/4242\n/);
  });
});
