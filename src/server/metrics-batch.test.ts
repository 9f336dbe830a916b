import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Metrics } from "./metrics.js";

describe("metrics of tasks that end together", () => {
  it("counts every task of a tasks.finished event by its status", async () => {
    const metrics = new Metrics();
    metrics.listener("pipeline")({
      runId: "r",
      type: "tasks.finished",
      time: 0,
      taskIds: ["a", "b", "c"],
      status: "cancelled",
      reason: "aborted",
    });
    assert.match(
      await metrics.registry.metrics(),
      /^parex_tasks_total\{kind="pipeline",status="cancelled"\} 3$/m,
    );
  });
});
