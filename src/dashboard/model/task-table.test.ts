import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze, buildGraph, runGraph, summarize, VirtualClock } from "../../core/index.js";
import type { RunResult, TaskSpec } from "../../core/index.js";
import { ScriptedExecutor, settle, timedRun as runTimed } from "../../testing/index.js";
import { liveStatuses, TaskTable } from "./task-table.js";
import type { LiveStatus, TaskRow } from "./task-table.js";

/** Runs a graph of timed tasks (all succeed) on a virtual clock; returns its events and summary. */
async function timedRun(specs: TaskSpec<string>[], durations: Record<string, number>) {
  const { graph, events, run } = await runTimed(specs, durations, {
    concurrency: 2,
    startAt: 50_000,
  });
  return { events, summary: summarize(run, analyze(graph, run)) };
}

const shown = (row: TaskRow | undefined) =>
  row && [row.status, row.slot, row.startMs, row.endMs, row.attempts, row.retries];

const counts = (table: TaskTable): Partial<Record<LiveStatus, number>> =>
  Object.fromEntries(
    liveStatuses.flatMap((s) => (table.count(s) > 0 ? [[s, table.count(s)]] : [])),
  );

describe("TaskTable", () => {
  it("folds a run's events into the same rows as the run's summary gives", async () => {
    const { events, summary } = await timedRun(
      [
        { id: "a", run: "a" },
        { id: "b", run: "b" },
        { id: "c", run: "c", dependsOn: ["a"], group: "test" },
      ],
      { a: 40, b: 20, c: 30 },
    );
    const live = new TaskTable();
    for (const event of events) live.apply(event);
    const replayed = TaskTable.fromSummary(summary);
    assert.deepEqual(live.rows.map(shown), replayed.rows.map(shown));
    assert.deepEqual(live.rows.map(shown), [
      ["succeeded", 0, 0, 40, 1, 0],
      ["succeeded", 1, 0, 20, 1, 0],
      ["succeeded", 0, 40, 70, 1, 0],
    ]);
    assert.deepEqual(counts(live), { succeeded: 3 });
    assert.deepEqual(counts(replayed), { succeeded: 3 });
    assert.equal(live.get("c")?.group, "test");
    assert.deepEqual([live.runStatus, live.lastMs, live.concurrency], ["succeeded", 70, 2]);
    assert.deepEqual(
      [replayed.runStatus, replayed.lastMs, replayed.concurrency],
      ["succeeded", 70, 2],
    );
  });

  it("shows tasks waiting, queued, running and retrying as the events arrive, counted once each", async () => {
    const clock = new VirtualClock(1_000);
    const executor = new ScriptedExecutor<string>();
    const table = new TaskTable();
    const graph = buildGraph<string>([
      { id: "a", run: "a", retry: { attempts: 2, initialDelayMs: 100 } },
      { id: "b", run: "b", dependsOn: ["a"] },
      { id: "c", run: "c" },
    ]);
    const done = runGraph(graph, {
      executor,
      clock,
      concurrency: 1,
      listeners: [(event) => table.apply(event)],
      random: () => 0.5,
    });
    await settle();
    assert.deepEqual(
      table.rows.map((r) => r.status),
      ["running", "waiting", "queued"],
    );
    assert.deepEqual(counts(table), { running: 1, waiting: 1, queued: 1 });
    clock.advance(10);
    executor.call("a").fail("exit-code", 1);
    await settle();
    assert.deepEqual(shown(table.get("a")), ["retrying", 0, 0, 10, 1, 1]);
    assert.equal(table.get("c")?.status, "running", "c takes the slot while a waits");
    clock.advance(5);
    executor.call("c").succeed();
    await settle();
    clock.advance(100);
    await settle();
    assert.deepEqual(shown(table.get("a")), ["running", 0, 0, undefined, 2, 1]);
    assert.equal(table.get("a")?.attemptStartMs, 110, "the retry timer fired at 10 + 100");
    clock.advance(20);
    executor.call("a").succeed();
    await settle();
    executor.call("b").succeed();
    await done;
    assert.deepEqual(shown(table.get("a")), ["succeeded", 0, 0, 135, 2, 1]);
    assert.deepEqual(counts(table), { succeeded: 3 });
    assert.equal(table.runStatus, "succeeded");
  });

  it("ends every task skipped by a failure with the one event that skips them", async () => {
    const clock = new VirtualClock(1_000);
    const executor = new ScriptedExecutor<string>();
    const table = new TaskTable();
    const graph = buildGraph<string>([
      { id: "a", run: "a" },
      { id: "b", run: "b", dependsOn: ["a"] },
      { id: "c", run: "c", dependsOn: ["b"] },
    ]);
    const done = runGraph(graph, { executor, clock, listeners: [(e) => table.apply(e)] });
    await settle();
    executor.call("a").fail("exit-code", 2);
    const result: RunResult = await done;
    assert.deepEqual(
      table.rows.map((r) => [r.id, r.status, r.reason]),
      [
        ["a", "failed", "exit-code"],
        ["b", "skipped", "dependency-failed"],
        ["c", "skipped", "dependency-failed"],
      ],
    );
    assert.deepEqual(counts(table), { failed: 1, skipped: 2 });
    assert.equal(table.runStatus, result.status);
  });

  it("gives a row to a task first seen in an event, when the run's start was missed", () => {
    const table = new TaskTable(["a"]);
    const changed = table.apply({
      type: "task.started",
      runId: "r",
      time: 5_000,
      taskId: "late",
      attempt: 1,
      slot: 3,
    });
    assert.equal(changed, true);
    assert.deepEqual(
      table.rows.map((r) => [r.id, r.status, r.slot, r.startMs]),
      [
        ["a", "waiting", undefined, undefined],
        ["late", "running", 3, 0],
      ],
    );
  });

  it("keeps the worker a distributed run's attempt went to, from its event", () => {
    const table = new TaskTable(["build"]);
    const at = { runId: "r", time: 1, taskId: "build", attempt: 1 };
    table.apply({ ...at, type: "task.started", slot: 0 });
    assert.equal(table.apply({ ...at, type: "task.worker", worker: "ci-7/4242" }), true);
    assert.equal(table.get("build")?.worker, "ci-7/4242");
  });

  it("replaces a changed row and keeps the others, so that views redraw only what changed", () => {
    const table = new TaskTable(["a", "b"]);
    const [a, b] = table.rows;
    const version = table.version;
    table.apply({ type: "task.queued", runId: "r", time: 1, taskId: "a" });
    assert.notEqual(table.rows[0], a);
    assert.equal(table.rows[1], b);
    assert.ok(table.version > version);
    assert.equal(
      table.apply({
        type: "task.output",
        runId: "r",
        time: 2,
        taskId: "a",
        attempt: 1,
        stream: "stdout",
        chunk: "x",
      }),
      false,
      "output changes no row",
    );
  });
});
