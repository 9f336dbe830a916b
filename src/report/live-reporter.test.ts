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
  ...(status === "failed" ? { reason: "exit-code" as const, exitCode: 2 } : {}),
});
const started = (time: number, tasks: string[], concurrency = 2): RunEvent => ({
  ...base,
  type: "run.started",
  time,
  tasks,
  concurrency,
  strategy: "all",
});
const start = (time: number, taskId: string): RunEvent => ({
  ...base,
  type: "task.started",
  time,
  taskId,
  attempt: 1,
  slot: 0,
});
const output = (time: number, taskId: string, chunk: string): RunEvent => ({
  ...base,
  type: "task.output",
  time,
  taskId,
  attempt: 1,
  stream: "stdout",
  chunk,
});
const finish = (time: number, taskId: string, status: TaskRecord["status"]): RunEvent => ({
  ...base,
  type: "task.finished",
  time,
  taskId,
  attempt: 1,
  task: record(taskId, status),
});

/** A reporter whose repaint timer the test fires by hand. */
function reporter(options: { output?: "stream" | "grouped" | "none"; logged?: boolean } = {}) {
  const writes: string[] = [];
  const clock = { now: 0, ticks: [] as (() => void)[], stopped: 0 };
  const live = new LiveReporter({
    output: options.output ?? "stream",
    write: (t) => writes.push(t),
    style: plain,
    logged: options.logged ?? false,
    now: () => clock.now,
    every: (_ms, tick) => {
      clock.ticks.push(tick);
      return () => clock.stopped++;
    },
  });
  const tick = (now: number): string | undefined => {
    clock.now = now;
    for (const t of clock.ticks) t();
    return writes.at(-1);
  };
  return { live, writes, clock, tick };
}

describe("live terminal view", () => {
  it("keeps a status area of running tasks, counts and time left below the output", () => {
    const { live, writes } = reporter();
    const events: RunEvent[] = [
      started(0, ["a", "b", "c", "d"]),
      start(0, "a"),
      start(0, "b"),
      output(10, "a", "compiling\nhal"),
      finish(1000, "a", "succeeded"),
      finish(1500, "b", "failed"),
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
      "\x1b[3F\x1b[0Ja │ hal\n✔ a succeeded 1.00 s\n  ▶ b 1.00 s\n1 running · 2 queued · 1 done · 0 failed · about 1.00 s left\n",
    );
    assert.equal(
      writes[5],
      "\x1b[2F\x1b[0J✖ b failed after 1.50 s: exit code 2\n0 running · 2 queued · 1 done · 1 failed · about 1.00 s left\n",
    );
    live.listener({ ...base, type: "run.finished", time: 2000, status: "failed" });
    assert.equal(writes.at(-1), "\x1b[1F\x1b[0J", "the area is erased at the end");
  });

  it("counts the time left down between events, and stops its timer when the run ends", () => {
    const { live, clock, tick } = reporter();
    for (const event of [
      started(0, ["a", "b", "c", "d"]),
      start(0, "a"),
      start(500, "b"),
      finish(1000, "a", "succeeded"),
    ])
      live.listener(event);
    // b has run 500 ms of the 1 s a task takes; c and d wait: (500 + 2 × 1000) / 2 slots.
    assert.match(tick(1000) ?? "", /about 1\.25 s left\n$/);
    assert.match(tick(1400) ?? "", /▶ b 900 ms\n.*about 1\.05 s left\n$/);
    assert.match(tick(1800) ?? "", /about 1\.00 s left\n$/);
    live.listener({ ...base, type: "run.finished", time: 2000, status: "cancelled" });
    assert.equal(clock.stopped, 1);
  });

  it("shows a long line without a newline once, cut after 4 KB, however many chunks it came in", () => {
    const { live, writes } = reporter({ logged: true });
    live.listener(started(0, ["long"]));
    live.listener(start(0, "long"));
    const chunk = "x".repeat(1_000);
    for (let i = 0; i < 10_000; i++) live.listener(output(1, "long", chunk));
    live.listener(finish(2, "long", "succeeded"));
    const shown = writes.join("");
    assert.ok(
      shown.includes(`long │ ${"x".repeat(4096)}… (9.5 MB more, in the log file)\n`),
      shown.slice(0, 200),
    );
    assert.equal(shown.length < 10_000, true, "only the first 4 KB of the line is written");
  });

  it("shows each task's output in one block when it ends, with --output grouped", () => {
    const { live, writes } = reporter({ output: "grouped" });
    for (const event of [
      started(0, ["a"]),
      start(0, "a"),
      output(1, "a", "one\n"),
      output(2, "a", "two\n"),
      finish(3, "a", "succeeded"),
    ])
      live.listener(event);
    assert.match(writes.join(""), /── a ──\none\ntwo\n✔ a succeeded 3\.0 ms\n/);
  });
});
