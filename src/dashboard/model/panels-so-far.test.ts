import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze, insight, summarize } from "../../core/index.js";
import type { TaskSpec } from "../../core/index.js";
import { timedRun } from "../../testing/index.js";
import { groupTimes, throughput } from "./panels.js";
import { panelsSoFar } from "./panels-so-far.js";
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
    const table = new TaskTable();
    for (const event of events) table.apply(event);
    const soFar = panelsSoFar(table, summary.makespanMs);
    const fields = (t: { id: string; status: string; startMs?: number; endMs?: number }) => [
      t.id,
      t.status,
      t.startMs,
      t.endMs,
    ];
    assert.deepEqual(soFar.tasks.map(fields), summary.tasks.map(fields));
    assert.deepEqual(
      soFar.tasks.map((t) => [t.durationMs, t.slot, t.group, t.attempts]),
      summary.tasks.map((t) => [t.durationMs, t.slot, t.group, t.attempts]),
    );
    assert.equal(soFar.sequentialMs, summary.sequentialMs);
    assert.equal(soFar.busyMs, summary.sequentialMs, "nothing running");
    assert.deepEqual(soFar.distribution, summary.distribution);
    assert.deepEqual(groupTimes(soFar), groupTimes(summary));
    const { tasks, concurrency, makespanMs, sequentialMs } = summary;
    assert.deepEqual(
      throughput(soFar),
      throughput({ tasks, concurrency, makespanMs, sequentialMs }),
      "the summary's, figured from its tasks",
    );
  });
});
