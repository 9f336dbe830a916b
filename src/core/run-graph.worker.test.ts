import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "./events.js";
import type { Executor } from "./executor.js";
import { buildGraph } from "./graph.js";
import { runGraph } from "./run-graph.js";
import { VirtualClock } from "./virtual-clock.js";
import { drive } from "../testing/index.js";

describe("runGraph with a distributed executor", () => {
  it("records the worker that took each task's latest attempt, as an event and in the record", async () => {
    let calls = 0;
    // The first attempt fails on one worker, the retry succeeds on another.
    const executor: Executor<string> = {
      execute: (_action, context) => {
        context.worker?.(`worker-${++calls}/1`);
        return Promise.resolve(calls === 1 ? { ok: false, reason: "exit-code" } : { ok: true });
      },
    };
    const events: RunEvent[] = [];
    const graph = buildGraph([{ id: "build", run: "tsc", retry: { attempts: 2 } }]);
    const clock = new VirtualClock(0);
    const done = runGraph(graph, {
      executor,
      clock,
      listeners: [(event) => events.push(event)],
      random: () => 0.5,
    });
    const result = await drive(clock, done);
    assert.deepEqual(
      events.flatMap((e) => (e.type === "task.worker" ? [[e.taskId, e.attempt, e.worker]] : [])),
      [
        ["build", 1, "worker-1/1"],
        ["build", 2, "worker-2/1"],
      ],
    );
    assert.equal(result.tasks[0]?.worker, "worker-2/1");
  });
});
