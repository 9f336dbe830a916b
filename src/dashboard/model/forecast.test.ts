import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forecast, Forecaster, progressOf } from "./forecast.js";
import { TaskTable } from "./task-table.js";

const tasks = [
  { id: "a", dependsOn: [], estimateMs: 100 },
  { id: "b", dependsOn: ["a"], estimateMs: 50 },
  { id: "c", dependsOn: [] },
];

function started(table: TaskTable, taskId: string, time: number, slot: number): void {
  table.apply({ type: "task.started", runId: "r", time, taskId, attempt: 1, slot });
}

describe("forecast", () => {
  it("predicts the makespan from the estimates, a task without one weighing their mean", () => {
    const table = new TaskTable(["a", "b", "c"]);
    // a → b is 150 ms; c (75 ms, the mean) runs beside it on the second slot.
    assert.deepEqual(forecast(tasks, 2, table), { predictedMs: 150, remainingMs: 150 });
    assert.equal(forecast(tasks, 1, table)?.predictedMs, 225, "one slot: one after another");
  });

  it("counts a running attempt's age against its estimate", () => {
    const table = new TaskTable();
    table.apply({
      type: "run.started",
      runId: "r",
      time: 1_000,
      tasks: ["a", "b", "c"],
      concurrency: 2,
      strategy: "all",
    });
    started(table, "a", 1_000, 0);
    started(table, "c", 1_000, 1);
    assert.equal(forecast(tasks, 2, table, 40)?.remainingMs, 110, "a has 60 ms left, then b");
    assert.equal(forecast(tasks, 2, table, 130)?.remainingMs, 50, "a overran: 0 left, then b");
  });

  it("predicts nothing left once every task has ended, and nothing at all without estimates", () => {
    const table = new TaskTable(["a"]);
    table.apply({
      type: "tasks.finished",
      runId: "r",
      time: 5,
      taskIds: ["a"],
      status: "cancelled",
      reason: "aborted",
    });
    assert.deepEqual(forecast([{ id: "a", dependsOn: [], estimateMs: 7 }], 1, table), {
      predictedMs: 7,
      remainingMs: 0,
    });
    assert.equal(forecast([{ id: "a", dependsOn: [] }], 1, table), undefined);
  });

  it("predicts the makespan once, and the time left at each call", () => {
    const table = new TaskTable(["a", "b", "c"]);
    const forecaster = new Forecaster(tasks, 2);
    assert.equal(forecaster.predictedMs, 150);
    started(table, "a", 0, 0);
    assert.deepEqual(forecaster.at(table, 90), { predictedMs: 150, remainingMs: 75 });
    assert.equal(new Forecaster([{ id: "a", dependsOn: [] }], 1).predictedMs, undefined);
  });

  it("answers the same from a copy of the progress, as a worker is sent it", () => {
    const table = new TaskTable();
    table.apply({
      type: "run.started",
      runId: "r",
      time: 0,
      tasks: ["a", "b", "c"],
      concurrency: 2,
      strategy: "all",
    });
    table.apply({
      type: "tasks.finished",
      runId: "r",
      time: 5,
      taskIds: ["a"],
      status: "cancelled",
      reason: "aborted",
    });
    started(table, "c", 10, 1);
    const progress = structuredClone(progressOf(table));
    assert.deepEqual([[...progress.ended], [...progress.running]], [["a"], [["c", 10]]]);
    const forecaster = new Forecaster(tasks, 2);
    assert.deepEqual(forecaster.from(progress, 40), forecaster.at(table, 40));
    assert.equal(forecaster.from(progress, 40)?.remainingMs, 50, "b's 50 ms; c has 45 ms left");
  });
});
