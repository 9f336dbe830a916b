import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent, TaskRecord } from "../core/index.js";
import { LiveReporter, plain } from "./live-reporter.js";

const base = { runId: "r" };
const record = (id: string, status: TaskRecord["status"]): TaskRecord => ({
  id,
  status,
  attempts: 1,
  spans: [],
  fallbackUsed: false,
  optional: false,
  ...(status === "failed" ? { reason: "exit-code" as const } : {}),
});

describe("live terminal view", () => {
  it("keeps a status area of running tasks, counts and time left below the output", () => {
    const writes: string[] = [];
    const live = new LiveReporter({
      output: "stream",
      write: (t) => writes.push(t),
      style: plain,
      refreshMs: 60_000,
    });
    const events: RunEvent[] = [
      {
        ...base,
        type: "run.started",
        time: 0,
        tasks: ["a", "b", "c", "d"],
        concurrency: 2,
        strategy: "all",
      },
      { ...base, type: "task.started", time: 0, taskId: "a", attempt: 1, slot: 0 },
      { ...base, type: "task.started", time: 0, taskId: "b", attempt: 1, slot: 1 },
      {
        ...base,
        type: "task.output",
        time: 10,
        taskId: "a",
        attempt: 1,
        stream: "stdout",
        chunk: "compiling\nhal",
      },
      {
        ...base,
        type: "task.finished",
        time: 1000,
        taskId: "a",
        attempt: 1,
        task: record("a", "succeeded"),
      },
      {
        ...base,
        type: "task.finished",
        time: 1500,
        taskId: "b",
        attempt: 1,
        task: record("b", "failed"),
      },
    ];
    for (const event of events) live.listener(event);
    assert.deepEqual(live.status(1500), [
      "0 running · 2 queued · 1 done · 1 failed · about 1.00 s left",
    ]);
    assert.equal(
      writes[3],
      "\x1b[3F\x1b[0Ja │ compiling\n  ▶ a 10 ms\n  ▶ b 10 ms\n2 running · 2 queued · 0 done · 0 failed\n",
    );
    assert.equal(
      writes[4],
      "\x1b[3F\x1b[0Ja │ hal\n✔ a 1.00 s\n  ▶ b 1.00 s\n1 running · 2 queued · 1 done · 0 failed · about 1.50 s left\n",
    );
    live.listener({ ...base, type: "run.finished", time: 2000, status: "failed" });
    assert.equal(writes.at(-1), "\x1b[1F\x1b[0J", "the area is erased at the end");
  });
});
