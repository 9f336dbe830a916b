import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { criticalPathOf, criticalSet, edgeKey } from "./critical-path.js";
import { TaskTable } from "./task-table.js";

describe("critical path", () => {
  it("is the longest chain by how long each task ran, without the tasks that never ran", () => {
    const tasks = [
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: ["a"] },
      { id: "c", dependsOn: [] },
      { id: "d", dependsOn: ["b"] },
    ];
    const table = new TaskTable();
    table.apply({
      type: "run.started",
      runId: "r",
      time: 0,
      tasks: ["a", "b", "c", "d"],
      concurrency: 2,
      strategy: "all",
    });
    const ran = (taskId: string, slot: number, start: number, end: number): void => {
      table.apply({ type: "task.started", runId: "r", time: start, taskId, attempt: 1, slot });
      table.apply({
        type: "task.finished",
        runId: "r",
        time: end,
        taskId,
        attempt: 1,
        task: {
          id: taskId,
          status: "succeeded",
          attempts: 1,
          spans: [{ attempt: 1, slot, start, end }],
          fallbackUsed: false,
          optional: false,
        },
      });
    };
    ran("a", 0, 0, 30);
    ran("c", 1, 0, 45);
    ran("b", 0, 30, 50);
    table.apply({
      type: "tasks.finished",
      runId: "r",
      time: 50,
      taskIds: ["d"],
      status: "cancelled",
      reason: "aborted",
    });
    assert.deepEqual(
      criticalPathOf(tasks, table),
      ["a", "b"],
      "a → b: 50 ms, c: 45 ms; d never ran",
    );
  });

  it("gives the path's tasks and consecutive edges as sets", () => {
    const set = criticalSet(["a", "b", "c"]);
    assert.deepEqual([...set.tasks], ["a", "b", "c"]);
    assert.deepEqual([...set.edges], [edgeKey("a", "b"), edgeKey("b", "c")]);
    assert.notEqual(edgeKey("a", "bc"), edgeKey("ab", "c"));
  });
});
