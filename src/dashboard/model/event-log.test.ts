import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../../core/index.js";
import { describeEvent, EventLog } from "./event-log.js";

const queued = (taskId: string, time: number): RunEvent => ({
  type: "task.queued",
  runId: "r",
  time,
  taskId,
});

describe("event stream", () => {
  it("puts events in words, marked by how they went, and leaves output to the log panel", () => {
    assert.deepEqual(
      describeEvent({
        type: "task.retry-scheduled",
        runId: "r",
        time: 0,
        taskId: "test",
        attempt: 1,
        reason: "exit-code",
        delayMs: 100,
      }),
      { kind: "warn", text: "test attempt 1 failed (exit-code), retry in 100 ms" },
    );
    assert.deepEqual(
      describeEvent({
        type: "tasks.finished",
        runId: "r",
        time: 0,
        taskIds: ["b", "c", "d", "e"],
        status: "skipped",
        reason: "dependency-failed",
        dependency: "a",
      }),
      { kind: "warn", text: "skipped: b, c, d and 1 more (a did not succeed)" },
    );
    assert.deepEqual(
      describeEvent({ type: "run.finished", runId: "r", time: 0, status: "failed" }),
      { kind: "bad", text: "run failed" },
    );
    assert.equal(
      describeEvent({
        type: "task.output",
        runId: "r",
        time: 0,
        taskId: "a",
        attempt: 1,
        stream: "stdout",
        chunk: "x",
      }),
      undefined,
    );
  });

  it("keeps the latest lines, oldest first, with their time from the run's start", () => {
    const log = new EventLog(3);
    for (let i = 0; i < 5; i++) log.push(queued(`t${i}`, 1_000 + i), 1_000);
    assert.equal(log.total, 5);
    assert.deepEqual(
      log.lines().map((l) => [l.seq, l.ms, l.text]),
      [
        [2, 2, "t2 queued"],
        [3, 3, "t3 queued"],
        [4, 4, "t4 queued"],
      ],
    );
  });
});
