import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { laneCount } from "./gantt.js";
import { TaskTable } from "./task-table.js";
import { lanesOfFinished, WorkerLanes } from "./worker-lanes.js";

describe("Gantt lanes by worker", () => {
  it("gives a worker a lane per task it runs at once, and reuses a lane once its task ended", () => {
    const lanes = new WorkerLanes();
    const ended = new Set<string>();
    const left = (id: string): boolean => ended.has(id);
    assert.equal(lanes.place("ci-1/7", "a", left), 0);
    assert.equal(lanes.place("ci-2/9", "b", left), 1);
    assert.equal(lanes.place("ci-1/7", "c", left), 2, "a still runs");
    ended.add("a");
    assert.equal(lanes.place("ci-1/7", "d", left), 0, "a's lane is free again");
    assert.deepEqual(lanes.names, ["ci-1/7", "ci-2/9", "ci-1/7 (2)"]);
  });

  it("lays a finished run's tasks out by worker, in the order they started", () => {
    const { laneOf, names } = lanesOfFinished([
      { id: "late", worker: "w/1", startMs: 50, endMs: 60 },
      { id: "first", worker: "w/1", startMs: 0, endMs: 40 },
      { id: "overlap", worker: "w/1", startMs: 10, endMs: 70 },
      { id: "local", startMs: 0, endMs: 5 },
    ]);
    assert.deepEqual(Object.fromEntries(laneOf), { first: 0, overlap: 1, late: 0 });
    assert.deepEqual(names, ["w/1", "w/1 (2)"]);
  });

  it("draws a live distributed run's bars on its workers' lanes", () => {
    const table = new TaskTable(["a", "b", "c"]);
    const at = (taskId: string, time: number) => ({ runId: "r", time, taskId, attempt: 1 });
    table.apply({
      type: "run.started",
      runId: "r",
      time: 0,
      tasks: ["a", "b", "c"],
      concurrency: 2,
      strategy: "all",
    });
    table.apply({ ...at("a", 1), type: "task.started", slot: 0 });
    table.apply({ ...at("a", 2), type: "task.worker", worker: "w/1" });
    table.apply({ ...at("b", 3), type: "task.started", slot: 1 });
    table.apply({ ...at("b", 4), type: "task.worker", worker: "w/2" });
    assert.deepEqual(
      table.rows.map((row) => [row.id, row.lane]),
      [
        ["a", 0],
        ["b", 1],
        ["c", undefined],
      ],
    );
    assert.deepEqual(table.laneNames, ["w/1", "w/2"]);
    assert.equal(laneCount(table.rows, table.concurrency, table.laneNames), 2);
    assert.equal(laneCount(table.rows, 3), 3, "a local run: one lane per slot");
  });
});
