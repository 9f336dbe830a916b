import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScriptedExecutor, settle } from "../testing/index.js";
import type { RunEvent } from "./events.js";
import { buildGraph } from "./graph.js";
import type { Strategy } from "./outcome.js";
import { Breakers } from "./policies/breakers.js";
import { runGraph } from "./run-graph.js";
import type { RunGraphOptions, RunResult } from "./run-graph.js";
import type { TaskSpec } from "./task-spec.js";
import { VirtualClock } from "./virtual-clock.js";

type Spec = Omit<TaskSpec<string>, "run"> & { run?: string };

function start(specs: Spec[], options: Partial<RunGraphOptions<string>> = {}) {
  const clock = new VirtualClock(1_000);
  const executor = new ScriptedExecutor<string>();
  const events: RunEvent[] = [];
  const graph = buildGraph(specs.map((s) => ({ run: s.id, ...s })));
  const done = runGraph(graph, {
    executor,
    clock,
    breakers: new Breakers(),
    listeners: [(event) => events.push(event)],
    random: () => 0.5,
    runId: "run-1",
    ...options,
  });
  let result: RunResult | undefined;
  void done.then((r) => (result = r));
  return {
    clock,
    executor,
    events,
    done,
    get result() {
      return result;
    },
    /** Ends the running attempt of `id` after `ms` of virtual time. */
    async finish(id: string, ms = 0, value: unknown = id) {
      clock.advance(ms);
      executor.call(id).succeed(value);
      await settle();
    },
    async failTask(id: string, ms = 0) {
      clock.advance(ms);
      executor.call(id).fail("exit-code", 1);
      await settle();
    },
  };
}

const status = (result: RunResult | undefined) =>
  Object.fromEntries(
    (result?.tasks ?? []).map((t) => [t.id, t.reason ? `${t.status}:${t.reason}` : t.status]),
  );

describe("runGraph", () => {
  it("starts a task the moment its last dependency succeeds, without waiting for its wave", async () => {
    const run = start(
      [{ id: "a" }, { id: "slow" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["b"] }],
      { concurrency: 4 },
    );
    await settle();
    assert.deepEqual(run.executor.running(), ["a", "slow"]);
    await run.finish("a", 10);
    assert.deepEqual(run.executor.running(), ["slow", "b"]);
    await run.finish("b", 10);
    assert.deepEqual(run.executor.running(), ["slow", "c"]);
    await run.finish("c", 10);
    await run.finish("slow", 10);
    assert.equal(run.result?.status, "succeeded");
  });

  it("passes each task its dependencies' results", async () => {
    const run = start([{ id: "user" }, { id: "orders", dependsOn: ["user"] }]);
    await settle();
    await run.finish("user", 0, { id: 42 });
    assert.deepEqual({ ...run.executor.call("orders").results }, { user: { id: 42 } });
    await run.finish("orders", 0, [1]);
    assert.deepEqual(Object.fromEntries((await run.done).results), {
      user: { id: 42 },
      orders: [1],
    });
  });

  it("hands on the result of a task named __proto__ like any other, in an object without a prototype", async () => {
    const run = start([{ id: "__proto__" }, { id: "b", dependsOn: ["__proto__"] }]);
    await settle();
    await run.finish("__proto__", 0, { id: 42 });
    const { results } = run.executor.call("b");
    assert.equal(Object.getPrototypeOf(results), null);
    assert.deepEqual(Object.entries(results), [["__proto__", { id: 42 }]]);
  });

  it("never runs more tasks than the concurrency limit, and fills a slot as soon as it frees", async () => {
    const run = start([{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }], { concurrency: 2 });
    await settle();
    assert.deepEqual(run.executor.running(), ["a", "b"]);
    await run.finish("b", 5);
    assert.deepEqual(run.executor.running(), ["a", "c"]);
    await run.finish("a", 5);
    assert.deepEqual(run.executor.running(), ["c", "d"]);
  });

  it("orders ready tasks by priority, then by the longest remaining path", async () => {
    const run = start(
      [
        { id: "leaf" },
        { id: "head" },
        { id: "mid", dependsOn: ["head"] },
        { id: "tail", dependsOn: ["mid"] },
        { id: "urgent", priority: 5 },
      ],
      { concurrency: 1 },
    );
    await settle();
    await run.finish("urgent");
    await run.finish("head");
    await run.finish("mid");
    await run.finish("leaf");
    await run.finish("tail");
    // leaf and tail tie (1 task left, no dependents): declaration order decides.
    assert.deepEqual(run.executor.started(), ["urgent", "head", "mid", "leaf", "tail"]);
  });

  it("starts the dependencies of a high-priority task before lower-priority work", async () => {
    const run = start(
      [{ id: "x" }, { id: "y", dependsOn: ["x"], priority: 10 }, { id: "z", priority: 5 }],
      { concurrency: 1 },
    );
    await settle();
    await run.finish("x");
    await run.finish("y");
    await run.finish("z");
    assert.deepEqual(run.executor.started(), ["x", "y", "z"]);
  });

  it("uses duration estimates to start the longest work first", async () => {
    const tasks = ["a", "b", "c", "d", "long"].map((id) => ({ id }));
    const run = start(tasks, { concurrency: 2, estimates: { a: 1, b: 1, c: 1, d: 1, long: 4 } });
    await settle();
    // Which 1 ms task goes beside it is the search's choice: all four are as good.
    assert.equal(run.executor.running()[0], "long");
    assert.equal(run.executor.running().length, 2);
  });

  it("keeps tasks of one mutex apart and gives heavy tasks all their slots", async () => {
    const run = start(
      [
        { id: "db1", mutex: "db" },
        { id: "db2", mutex: "db" },
        { id: "heavy", slots: 2 },
        { id: "light" },
      ],
      { concurrency: 3 },
    );
    await settle();
    assert.deepEqual(run.executor.running(), ["db1", "heavy"]);
    await run.finish("db1");
    assert.deepEqual(run.executor.running(), ["heavy", "db2"]);
    await run.finish("heavy");
    assert.deepEqual(run.executor.running(), ["db2", "light"]);
  });

  it("skips every dependent of a failed task without starting it", async () => {
    const run = start(
      [
        { id: "build" },
        { id: "test", dependsOn: ["build"] },
        { id: "deploy", dependsOn: ["test"] },
        { id: "lint" },
      ],
      { strategy: "best_effort" },
    );
    await settle();
    await run.failTask("build");
    await run.finish("lint");
    const result = await run.done;
    assert.deepEqual(run.executor.started(), ["build", "lint"]);
    assert.deepEqual(status(result), {
      build: "failed:exit-code",
      test: "skipped:dependency-failed",
      deploy: "skipped:dependency-failed",
      lint: "succeeded",
    });
    assert.equal(result.status, "failed");
    assert.equal(result.tasks[0]?.exitCode, 1);
  });

  it("under `all`, the first failure aborts running tasks and starts nothing more", async () => {
    const run = start([{ id: "a" }, { id: "b" }, { id: "c" }], { concurrency: 2 });
    await settle();
    const b = run.executor.call("b");
    await run.failTask("a");
    assert.equal(b.signal.aborted, true);
    const result = await run.done;
    assert.deepEqual(run.executor.started(), ["a", "b"]);
    assert.deepEqual(status(result), {
      a: "failed:exit-code",
      b: "cancelled:aborted",
      c: "cancelled:aborted",
    });
    assert.equal(result.status, "failed");
  });

  const strategyList: Strategy[] = ["all", "partial", "best_effort"];
  for (const strategy of strategyList) {
    it(`under \`${strategy}\`, a failed optional task cancels nothing and gives a partial run`, async () => {
      const run = start([{ id: "extra", optional: true }, { id: "main" }], { strategy });
      await settle();
      await run.failTask("extra");
      assert.equal(run.executor.call("main").signal.aborted, false);
      await run.finish("main");
      const result = await run.done;
      assert.equal(result.status, "partial");
      assert.deepEqual(status(result), { extra: "failed:exit-code", main: "succeeded" });
    });

    it(`under \`${strategy}\`, an optional task's timeout leaves another task's pending retry alone`, async () => {
      const run = start(
        [
          { id: "probe", optional: true, timeoutMs: 50 },
          { id: "fetch", retry: { attempts: 2, initialDelayMs: 100, jitter: 0 } },
        ],
        { strategy },
      );
      await settle();
      await run.failTask("fetch", 10);
      run.clock.advance(40); // probe times out while fetch waits for its retry
      await settle();
      run.clock.advance(60);
      await settle();
      assert.equal(run.executor.call("fetch").attempt, 2);
      await run.finish("fetch");
      const result = await run.done;
      assert.equal(result.status, "partial");
      assert.deepEqual(status(result), { probe: "failed:timeout", fetch: "succeeded" });
    });

    it(`under \`${strategy}\`, an optional task's optional dependents are skipped and the run is partial`, async () => {
      const run = start(
        [
          { id: "extra", optional: true },
          { id: "report", dependsOn: ["extra"], optional: true },
          { id: "main" },
        ],
        { strategy, concurrency: 1 },
      );
      await settle();
      await run.failTask("extra");
      await run.finish("main");
      const result = await run.done;
      assert.deepEqual(run.executor.started(), ["extra", "main"]);
      assert.deepEqual(status(result), {
        extra: "failed:exit-code",
        report: "skipped:dependency-failed",
        main: "succeeded",
      });
      assert.equal(result.status, "partial");
    });
  }

  for (const strategy of ["all", "partial"] as const) {
    it(`under \`${strategy}\`, a required task skipped because an optional one failed fails the run at once`, async () => {
      const run = start(
        [{ id: "lint", optional: true }, { id: "deploy", dependsOn: ["lint"] }, { id: "test" }],
        { concurrency: 2, strategy },
      );
      await settle();
      const test = run.executor.call("test");
      await run.failTask("lint");
      assert.equal(test.signal.aborted, true);
      const result = await run.done;
      assert.deepEqual(status(result), {
        lint: "failed:exit-code",
        deploy: "skipped:dependency-failed",
        test: "cancelled:aborted",
      });
      assert.equal(result.status, "failed");
    });
  }

  it("under `best_effort`, a required task skipped because an optional one failed fails the run, and the rest runs", async () => {
    const run = start(
      [{ id: "lint", optional: true }, { id: "deploy", dependsOn: ["lint"] }, { id: "test" }],
      { concurrency: 2, strategy: "best_effort" },
    );
    await settle();
    await run.failTask("lint");
    await run.finish("test");
    const result = await run.done;
    assert.deepEqual(status(result), {
      lint: "failed:exit-code",
      deploy: "skipped:dependency-failed",
      test: "succeeded",
    });
    assert.equal(result.status, "failed");
  });

  it("under `partial`, a failed required task fails the run at once", async () => {
    const run = start([{ id: "extra", optional: true }, { id: "main" }], { strategy: "partial" });
    await settle();
    await run.failTask("main");
    const result = await run.done;
    assert.deepEqual(status(result), { extra: "cancelled:aborted", main: "failed:exit-code" });
    assert.equal(result.status, "failed");
  });

  it("aborts an attempt at its timeout and records the reason", async () => {
    const run = start([{ id: "slow", timeoutMs: 100 }]);
    await settle();
    const call = run.executor.call("slow");
    run.clock.advance(99);
    assert.equal(call.signal.aborted, false);
    run.clock.advance(1);
    assert.equal(call.signal.aborted, true);
    assert.equal((call.signal.reason as DOMException).name, "TimeoutError");
    const result = await run.done;
    assert.deepEqual(status(result), { slow: "failed:timeout" });
    assert.equal(result.tasks[0]?.error?.message, "Attempt timed out after 100 ms");
  });

  it("waits for a timed-out attempt to stop before ending the task", async () => {
    const clock = new VirtualClock();
    const executor = new ScriptedExecutor<string>({ ignoreAbort: true });
    const graph = buildGraph([{ id: "stubborn", run: "x", timeoutMs: 10 }]);
    let ended = false;
    const done = runGraph(graph, { executor, clock, breakers: new Breakers() }).then((r) => {
      ended = true;
      return r;
    });
    await settle();
    clock.advance(10);
    await settle();
    assert.equal(ended, false);
    executor.call("stubborn").succeed();
    assert.deepEqual(status(await done), { stubborn: "failed:timeout" });
  });

  it("retries with exponential backoff, freeing the slot while it waits", async () => {
    const run = start(
      [{ id: "flaky", retry: { attempts: 3, initialDelayMs: 100 } }, { id: "other" }],
      { concurrency: 1 },
    );
    await settle();
    await run.failTask("flaky");
    assert.deepEqual(run.executor.running(), ["other"]);
    await run.finish("other", 30);
    run.clock.advance(69);
    await settle();
    assert.deepEqual(run.executor.running(), []);
    run.clock.advance(1);
    await settle();
    assert.deepEqual(run.executor.running(), ["flaky"]);
    await run.failTask("flaky");
    run.clock.advance(199);
    await settle();
    assert.deepEqual(run.executor.running(), []);
    run.clock.advance(1);
    await settle();
    await run.finish("flaky");
    const result = await run.done;
    const [flaky] = result.tasks;
    assert.ok(flaky);
    assert.equal(flaky.attempts, 3);
    assert.equal(flaky.status, "succeeded");
    assert.deepEqual(
      run.events.flatMap((e) =>
        e.type === "task.retry-scheduled" ? [[e.attempt, e.delayMs, e.reason]] : [],
      ),
      [
        [1, 100, "exit-code"],
        [2, 200, "exit-code"],
      ],
    );
  });

  it("uses a fallback value when every attempt failed", async () => {
    const run = start([
      { id: "prefs", fallback: { value: "defaults" } },
      { id: "page", dependsOn: ["prefs"] },
    ]);
    await settle();
    await run.failTask("prefs");
    assert.deepEqual({ ...run.executor.call("page").results }, { prefs: "defaults" });
    await run.finish("page");
    const result = await run.done;
    assert.equal(result.status, "succeeded");
    assert.equal(result.tasks[0]?.fallbackUsed, true);
    assert.equal(result.tasks[1]?.fallbackUsed, false);
  });

  it("runs a fallback action once on the same slot when every attempt failed", async () => {
    const run = start([{ id: "fetch", run: "primary", fallback: { run: "cache" } }]);
    await settle();
    await run.failTask("fetch");
    const fallback = run.executor.call("fetch");
    assert.equal(fallback.action, "cache");
    fallback.succeed("cached");
    const result = await run.done;
    assert.deepEqual(Object.fromEntries(result.results), { fetch: "cached" });
    assert.equal(result.tasks[0]?.fallbackUsed, true);
  });

  it("opens a breaker after consecutive failures, refuses attempts, then lets one trial through", async () => {
    const breakers = new Breakers();
    const breaker = { key: "billing", failureThreshold: 2, resetAfterMs: 1_000 };
    const clock = new VirtualClock();
    const executor = new ScriptedExecutor<string>();
    const events: RunEvent[] = [];
    const once = async (id: string, ok: boolean | undefined) => {
      const graph = buildGraph([{ id, run: id, breaker }]);
      const done = runGraph(graph, {
        executor,
        clock,
        breakers,
        listeners: [(e) => events.push(e)],
      });
      await settle();
      if (ok === true) executor.call(id).succeed();
      if (ok === false) executor.call(id).fail();
      return (await done).tasks[0];
    };
    assert.equal((await once("a", false))?.reason, "error");
    assert.equal((await once("b", false))?.reason, "error");
    assert.equal(breakers.state("billing"), "OPEN");
    const refused = await once("c", undefined);
    assert.equal(refused?.reason, "breaker-open");
    assert.deepEqual(executor.started(), ["a", "b"]);
    clock.advance(1_000);
    assert.equal((await once("d", true))?.status, "succeeded");
    assert.equal(breakers.state("billing"), "CLOSED");
    const changes = events.flatMap((e) =>
      e.type === "breaker.changed" ? [`${e.from}→${e.to}`] : [],
    );
    assert.deepEqual(changes, ["CLOSED→OPEN", "OPEN→HALF_OPEN", "HALF_OPEN→CLOSED"]);
  });

  it("does not count attempts cut short by the run against their breaker", async () => {
    const breakers = new Breakers();
    const breaker = { key: "slow", failureThreshold: 1 };
    const run = start(
      [
        { id: "pay", run: "pay" },
        { id: "slow", run: "slow", breaker },
      ],
      { breakers },
    );
    await settle();
    await run.failTask("pay");
    await run.done;
    assert.deepEqual(status(run.result), { pay: "failed:exit-code", slow: "cancelled:aborted" });
    assert.equal(breakers.state("slow"), "CLOSED");
  });

  it("refuses thousands of tasks behind one open breaker without deep recursion", async () => {
    const breakers = new Breakers();
    const breaker = { key: "down", failureThreshold: 1, resetAfterMs: 60_000 };
    breakers.record("down", breaker, false, 0);
    const specs = Array.from({ length: 20_000 }, (_, i) => ({ id: `t${i}`, run: "x", breaker }));
    const executor = new ScriptedExecutor<string>();
    const result = await runGraph(buildGraph(specs), {
      executor,
      clock: new VirtualClock(),
      breakers,
      concurrency: 1,
      strategy: "best_effort",
    });
    assert.equal(executor.calls.length, 0);
    assert.ok(result.tasks.every((t) => t.reason === "breaker-open"));
  });

  it("finishes an empty graph at once", async () => {
    const result = await runGraph(buildGraph([]), {
      executor: new ScriptedExecutor(),
      clock: new VirtualClock(),
    });
    assert.equal(result.status, "succeeded");
    assert.deepEqual(result.tasks, []);
  });

  it("rejects a bad concurrency or strategy before running anything", () => {
    const graph = buildGraph([{ id: "a", run: "a" }]);
    const executor = new ScriptedExecutor<string>();
    const clock = new VirtualClock();
    assert.throws(() => runGraph(graph, { executor, clock, concurrency: 2.5 }), {
      name: "TypeError",
      message: "Expected `concurrency` to be an integer ≥ 1, got `2.5` (number)",
    });
    assert.throws(() => runGraph(graph, { executor, clock, strategy: "any" as Strategy }), {
      message:
        'Expected `strategy` to be one of "all", "partial", "best_effort", got `"any"` (string)',
    });
    assert.equal(executor.calls.length, 0);
  });

  it("starts a persistent service's dependents once it is ready, and stops it when the rest is done", async () => {
    const run = start(
      [
        { id: "db", persistent: true },
        { id: "migrate", dependsOn: ["db"] },
        { id: "test", dependsOn: ["migrate"] },
      ],
      { concurrency: 1 },
    );
    await settle();
    const db = run.executor.call("db");
    assert.deepEqual(run.executor.running(), ["db"]);
    db.ready();
    await settle();
    assert.deepEqual(run.executor.running(), ["db", "migrate"], "the service gave its slot back");
    await run.finish("migrate", 10);
    assert.equal(db.signal.aborted, false);
    await run.finish("test", 10);
    assert.equal(db.signal.aborted, true, "stopped once nothing else needs it");
    const result = await run.done;
    assert.deepEqual(status(result), { db: "succeeded", migrate: "succeeded", test: "succeeded" });
    assert.deepEqual(
      result.tasks[0]?.spans,
      [{ attempt: 1, slot: 0, start: 1_000, end: 1_000 }],
      "busy until ready only",
    );
    assert.ok(run.events.some((e) => e.type === "task.ready" && e.taskId === "db"));
  });

  it("fails a service that exits before it is ready, and skips what needs it", async () => {
    const run = start([
      { id: "db", persistent: true },
      { id: "migrate", dependsOn: ["db"] },
    ]);
    await settle();
    await run.failTask("db");
    assert.deepEqual(status(await run.done), {
      db: "failed:exit-code",
      migrate: "skipped:dependency-failed",
    });
  });

  it("fails a ready service that dies while its dependents still run", async () => {
    const run = start([
      { id: "db", persistent: true },
      { id: "migrate", dependsOn: ["db"] },
    ]);
    await settle();
    run.executor.call("db").ready();
    await settle();
    const migrate = run.executor.call("migrate");
    await run.failTask("db");
    assert.equal(migrate.signal.aborted, true, "under `all` the crash cancels the rest");
    assert.deepEqual(status(await run.done), {
      db: "failed:exit-code",
      migrate: "cancelled:aborted",
    });
  });

  it("does not run again what an earlier run finished, and hands on its results", async () => {
    const run = start([{ id: "a" }, { id: "b", dependsOn: ["a"] }], { done: new Map([["a", 42]]) });
    await settle();
    assert.deepEqual(run.executor.started(), ["b"]);
    assert.deepEqual({ ...run.executor.call("b").results }, { a: 42 });
    await run.finish("b");
    const result = await run.done;
    assert.deepEqual(status(result), { a: "succeeded", b: "succeeded" });
    assert.equal(result.tasks[0]?.reused, true);
    assert.equal(result.tasks[0].attempts, 0);
  });

  it("cancels through its signal: running attempts abort, nothing starts afterwards", async () => {
    const controller = new AbortController();
    const run = start([{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }], {
      concurrency: 1,
      signal: controller.signal,
    });
    await settle();
    controller.abort();
    const result = await run.done;
    assert.deepEqual(run.executor.started(), ["a"]);
    assert.equal(result.status, "cancelled");
    assert.deepEqual(status(result), {
      a: "cancelled:aborted",
      b: "cancelled:aborted",
      c: "cancelled:aborted",
    });
  });

  it("starts nothing when its signal is already aborted", async () => {
    const run = start([{ id: "a" }], { signal: AbortSignal.abort() });
    const result = await run.done;
    assert.deepEqual(run.executor.started(), []);
    assert.equal(result.status, "cancelled");
  });

  it("reports a listener that throws and goes on", async () => {
    const errors: unknown[] = [];
    const run = start([{ id: "a" }], {
      listeners: [
        () => {
          throw new Error("listener bug");
        },
      ],
      onListenerError: (error) => errors.push(error),
    });
    await settle();
    await run.finish("a");
    assert.equal((await run.done).status, "succeeded");
    assert.ok(errors.length >= 4);
    assert.equal((errors[0] as Error).message, "listener bug");
  });

  it("emits one ordered stream of events with run id, task id, attempt and time", async () => {
    const run = start([{ id: "a" }, { id: "b", dependsOn: ["a"] }]);
    await settle();
    await run.finish("a", 5);
    run.executor.call("b").output("stdout", "hello\n");
    await run.finish("b", 7);
    await run.done;
    const lines = run.events.map((e) => {
      const task = "taskId" in e ? ` ${e.taskId}` : "";
      const attempt = "attempt" in e ? `#${e.attempt}` : "";
      return `${e.time - 1_000} ${e.type}${task}${attempt}`;
    });
    assert.deepEqual(lines, [
      "0 run.started",
      "0 task.queued a",
      "0 task.started a#1",
      "5 task.finished a#1",
      "5 task.queued b",
      "5 task.started b#1",
      "5 task.output b#1",
      "12 task.finished b#1",
      "12 run.finished",
    ]);
    assert.ok(run.events.every((e) => e.runId === "run-1"));
  });
});
