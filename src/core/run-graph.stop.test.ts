import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScriptedExecutor, settle } from "../testing/index.js";
import type { RunEvent } from "./events.js";
import { buildGraph } from "./graph.js";
import type { Strategy } from "./outcome.js";
import { Breakers } from "./policies/breakers.js";
import { runGraph } from "./run-graph.js";
import type { TaskSpec } from "./task-spec.js";
import { VirtualClock } from "./virtual-clock.js";

/** Starts a run of `specs` on scripted tasks and a virtual clock, recording every event. */
function start(
  specs: TaskSpec<string>[],
  options: { concurrency: number; strategy?: Strategy; signal?: AbortSignal },
) {
  const executor = new ScriptedExecutor<string>();
  const events: RunEvent[] = [];
  const clock = new VirtualClock();
  const done = runGraph(buildGraph(specs), {
    executor,
    clock,
    breakers: new Breakers(),
    listeners: [(event) => events.push(event)],
    ...options,
  });
  return { executor, events, done, clock };
}

const chain = (n: number, from = 0): TaskSpec<string>[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `t${from + i}`,
    run: "x",
    ...(i === 0 ? {} : { dependsOn: [`t${from + i - 1}`] }),
  }));

describe("stopping a large run", () => {
  it("ends 100,000 queued tasks with one event, whatever is still queued", async () => {
    const controller = new AbortController();
    const specs = Array.from({ length: 100_000 }, (_, i) => ({ id: `t${i}`, run: "x" }));
    const run = start(specs, { concurrency: 2, signal: controller.signal });
    await settle();
    assert.deepEqual(run.executor.running(), ["t0", "t1"]);
    const before = run.events.length;
    controller.abort();
    const result = await run.done;
    const after = run.events.slice(before);
    // The two running tasks end one by one, the queued ones together, then the run.
    assert.deepEqual(
      after.map((e) => (e.type === "tasks.finished" ? `${e.type}:${e.taskIds.length}` : e.type)),
      ["tasks.finished:99998", "task.finished", "task.finished", "run.finished"],
    );
    const batch = after[0];
    assert.ok(batch?.type === "tasks.finished");
    assert.equal(batch.status, "cancelled");
    assert.equal(batch.reason, "aborted");
    assert.deepEqual(batch.taskIds.slice(0, 3), ["t2", "t3", "t4"]);
    assert.equal(result.status, "cancelled");
    assert.equal(result.tasks.length, 100_000);
    assert.ok(result.tasks.every((t) => t.status === "cancelled" && t.reason === "aborted"));
  });

  it("ends a task waiting to retry with its own record when the run is cancelled", async () => {
    const controller = new AbortController();
    const run = start(
      [
        { id: "flaky", run: "x", retry: { attempts: 3, initialDelayMs: 100 } },
        { id: "queued", run: "x", dependsOn: ["flaky"] },
      ],
      { concurrency: 1, signal: controller.signal },
    );
    await settle();
    run.executor.call("flaky").fail();
    await settle();
    controller.abort();
    const result = await run.done;
    const ends = run.events.flatMap((e) =>
      e.type === "task.finished"
        ? [`${e.taskId}:${e.task.attempts}`]
        : e.type === "tasks.finished"
          ? [e.taskIds.join(",")]
          : [],
    );
    assert.deepEqual(ends, ["flaky:1", "queued"]);
    assert.equal(result.tasks[0]?.spans.length, 1);
  });

  it("skips every dependent of a failure with one event naming the failed task", async () => {
    const run = start([...chain(10_000), { id: "other", run: "x" }], {
      concurrency: 2,
      strategy: "best_effort",
    });
    await settle();
    run.executor.call("t0").fail();
    run.executor.call("other").succeed();
    const result = await run.done;
    const skips = run.events.filter((e) => e.type === "tasks.finished");
    assert.equal(skips.length, 1);
    assert.deepEqual(
      skips.map((e) => [e.status, e.reason, e.dependency, e.taskIds.length, e.taskIds[0]]),
      [["skipped", "dependency-failed", "t0", 9_999, "t1"]],
    );
    assert.equal(result.tasks.filter((t) => t.status === "skipped").length, 9_999);
    assert.equal(result.status, "failed");
  });

  it("announces every task's end exactly once, one by one or together", async () => {
    const controller = new AbortController();
    const run = start([...chain(3), ...chain(3, 3), { id: "solo", run: "x" }], {
      concurrency: 3,
      strategy: "best_effort",
      signal: controller.signal,
    });
    await settle();
    run.executor.call("t0").fail();
    await settle();
    controller.abort();
    await run.done;
    const ended = run.events.flatMap((e) =>
      e.type === "task.finished" ? [e.taskId] : e.type === "tasks.finished" ? e.taskIds : [],
    );
    assert.deepEqual([...ended].sort(), ["solo", "t0", "t1", "t2", "t3", "t4", "t5"]);
  });
});
