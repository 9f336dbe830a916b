import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  analyze,
  buildGraph,
  insight,
  runGraph,
  summarize,
  VirtualClock,
} from "../../core/index.js";
import type {
  AttemptResult,
  Executor,
  RunEvent,
  RunSummary,
  TaskSpec,
  TaskSummary,
} from "../../core/index.js";
import { drive, timedRun } from "../../testing/index.js";
import { groupTimes, throughput } from "./panels.js";
import { panelsSoFar } from "./panels-so-far.js";
import type { SoFar } from "./panels-so-far.js";
import { TaskTable } from "./task-table.js";

const specs: TaskSpec<string>[] = [
  { id: "a", run: "a", group: "build" },
  { id: "b", run: "b", group: "lint" },
  { id: "c", run: "c", dependsOn: ["a"], group: "test" },
  { id: "d", run: "d", dependsOn: ["a"] },
];
const durations = { a: 40, b: 20, c: 30, d: 10 };

/** The run on 2 slots of a virtual clock: its events, and its summary with the insight. */
async function run() {
  const { graph, events, run } = await timedRun(specs, durations, {
    concurrency: 2,
    startAt: 80_000,
  });
  const analysis = analyze(graph, run);
  return { events, summary: summarize(run, analysis, insight(graph, run, analysis)) };
}

/** What each attempt of a task does, in turn: how long it takes, and how it ends. */
type Plan = readonly (readonly [ms: number, end: "ok" | "fail" | "cached"])[];

/**
 * A run on 2 slots of a virtual clock whose attempts follow `plans` (by task): `b` fails once
 * and is tried again, `c` is restored by the cache, `d` fails and `e`, after it, is skipped.
 */
async function mixedRun() {
  const plans: Record<string, Plan> = {
    a: [[40, "ok"]],
    b: [
      [15, "fail"],
      [20, "ok"],
    ],
    c: [[3, "cached"]],
    d: [[10, "fail"]],
    e: [[10, "ok"]],
  };
  const clock = new VirtualClock(90_000);
  const tried = new Map<string, number>();
  const executor: Executor<string> = {
    execute: (id) => {
      const attempt = tried.get(id) ?? 0;
      tried.set(id, attempt + 1);
      const [ms, end] = plans[id]?.[attempt] ?? [0, "ok"];
      return new Promise<AttemptResult>((resolve) =>
        clock.setTimer(ms, () =>
          resolve(
            end === "fail"
              ? { ok: false, reason: "exit-code", exitCode: 1 }
              : { ok: true, ...(end === "cached" ? { cached: true } : {}) },
          ),
        ),
      );
    },
  };
  const graph = buildGraph<string>([
    { id: "a", run: "a", group: "build" },
    { id: "b", run: "b", group: "lint", retry: { attempts: 2, initialDelayMs: 5 } },
    { id: "c", run: "c", dependsOn: ["a"], group: "build" },
    { id: "d", run: "d", dependsOn: ["a"] },
    { id: "e", run: "e", dependsOn: ["d"] },
  ]);
  const events: RunEvent[] = [];
  const run = await drive(
    clock,
    runGraph(graph, {
      executor,
      clock,
      concurrency: 2,
      strategy: "best_effort",
      listeners: [(event) => events.push(event)],
    }),
  );
  const analysis = analyze(graph, run);
  return { events, summary: summarize(run, analysis, insight(graph, run, analysis)) };
}

/** The panels' figures once every event is in: asserted to be the summary's, and returned. */
function atTheEnd(events: readonly RunEvent[], summary: RunSummary): SoFar {
  const table = new TaskTable();
  for (const event of events) table.apply(event);
  const soFar = panelsSoFar(table, summary.makespanMs);
  const fields = (t: TaskSummary) => [
    ...[t.id, t.status, t.attempts, t.group],
    ...[t.startMs, t.endMs, t.durationMs, t.slot],
  ];
  assert.deepEqual(soFar.tasks.map(fields), summary.tasks.map(fields));
  assert.equal(soFar.sequentialMs, summary.sequentialMs, "a cache hit's time not counted");
  assert.deepEqual(soFar.distribution, summary.distribution);
  assert.deepEqual(groupTimes(soFar), groupTimes(summary));
  const { tasks, concurrency, makespanMs, sequentialMs } = summary;
  assert.deepEqual(
    throughput(soFar),
    throughput({ tasks, concurrency, makespanMs, sequentialMs }),
    "the summary's, figured from its tasks",
  );
  return soFar;
}

describe("panels so far", () => {
  it("shows the tasks ended so far, and the slots' busy time with the running attempts", async () => {
    const { events } = await run();
    const table = new TaskTable();
    const bEnded = events.findIndex((e) => e.type === "task.finished" && e.taskId === "b");
    for (const event of events.slice(0, bEnded + 1)) table.apply(event);
    const soFar = panelsSoFar(table, 30);
    assert.deepEqual(
      soFar.tasks.map((t) => [t.id, t.status, t.startMs, t.endMs, t.durationMs, t.slot, t.group]),
      [["b", "succeeded", 0, 20, 20, 1, "lint"]],
    );
    assert.deepEqual(
      [soFar.makespanMs, soFar.sequentialMs, soFar.busyMs, soFar.running],
      [30, 20, 20 + 30, 1],
      "a has run for 30 ms",
    );
    assert.deepEqual(soFar.distribution, { lint: [0, 20] });
    assert.equal(throughput(soFar).parallelPerSec, 1 / 0.03, "one task in 30 ms");
  });

  it("comes to the summary's figures once every task has ended", async () => {
    const { events, summary } = await run();
    const soFar = atTheEnd(events, summary);
    assert.equal(soFar.busyMs, summary.sequentialMs, "nothing running");
  });

  it("comes to the summary's figures with retries, failures, skipped tasks and cache hits", async () => {
    const { events, summary } = await mixedRun();
    assert.deepEqual(
      Object.fromEntries(summary.tasks.map((t) => [t.id, [t.status, t.attempts]])),
      {
        a: ["succeeded", 1],
        b: ["succeeded", 2],
        c: ["succeeded", 1],
        d: ["failed", 1],
        e: ["skipped", 0],
      },
      "the run this test means",
    );
    atTheEnd(events, summary);
  });

  it("counts a failed attempt's time while its task is tried again", async () => {
    const { events } = await mixedRun();
    const table = new TaskTable();
    const retry = events.findIndex((e) => e.type === "task.retry-scheduled" && e.taskId === "b");
    for (const event of events.slice(0, retry + 1)) table.apply(event);
    const soFar = panelsSoFar(table, 15);
    assert.equal(table.get("b")?.status, "retrying");
    assert.deepEqual([soFar.busyMs, soFar.running], [15 + 15, 1], "b's 15 ms, and a's");
  });
});
