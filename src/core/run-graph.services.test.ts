import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScriptedExecutor, settle } from "../testing/index.js";
import type { RunEvent } from "./events.js";
import { buildGraph } from "./graph.js";
import { Breakers } from "./policies/breakers.js";
import { runGraph } from "./run-graph.js";
import type { RunGraphOptions, RunResult } from "./run-graph.js";
import type { TaskSpec } from "./task-spec.js";
import { VirtualClock } from "./virtual-clock.js";

/** A run of `specs` on scripted tasks and a virtual clock, recording every event. */
function start(
  specs: Omit<TaskSpec<string>, "run">[],
  options: Partial<RunGraphOptions<string>> = {},
  executor = new ScriptedExecutor<string>(),
) {
  const clock = new VirtualClock(1_000);
  const events: RunEvent[] = [];
  const done = runGraph(buildGraph(specs.map((spec) => ({ run: spec.id, ...spec }))), {
    executor,
    clock,
    breakers: new Breakers(),
    listeners: [(event) => events.push(event)],
    ...options,
  });
  return { clock, executor, events, done };
}

const status = (result: RunResult) =>
  Object.fromEntries(
    result.tasks.map((t) => [t.id, t.reason ? `${t.status}:${t.reason}` : t.status]),
  );

const dbAndMigrate = [
  { id: "db", persistent: true },
  { id: "migrate", dependsOn: ["db"] },
];

describe("runGraph with keepServices", () => {
  it("hands a ready service over still running once the rest is done, as succeeded", async () => {
    const run = start(dbAndMigrate, { keepServices: true });
    await settle();
    const db = run.executor.call("db");
    run.clock.advance(5);
    db.ready();
    await settle();
    run.clock.advance(10);
    run.executor.call("migrate").succeed();
    const result = await run.done;
    assert.equal(db.signal.aborted, false, "the run did not stop it");
    assert.deepEqual(status(result), { db: "succeeded", migrate: "succeeded" });
    assert.deepEqual(result.tasks[0]?.spans, [{ attempt: 1, slot: 0, start: 1_000, end: 1_005 }]);
    assert.deepEqual(
      result.services?.map((s) => [s.taskId, s.attempt]),
      [["db", 1]],
    );
    const [service] = result.services ?? [];
    service?.stop();
    assert.equal(db.signal.aborted, true, "its holder stops it");
    assert.deepEqual(await service?.ended, { ok: false, reason: "aborted" });
  });

  it("ends a run of only a service once it is ready, leaving it running", async () => {
    const run = start([{ id: "dev", persistent: true }], { keepServices: true });
    await settle();
    run.executor.call("dev").ready();
    const result = await run.done;
    assert.equal(result.status, "succeeded");
    assert.deepEqual(run.executor.running(), ["dev"]);
    assert.equal(result.services?.length, 1);
  });

  it("sends a handed-over service's output to its holder, not to the run that ended", async () => {
    const run = start(dbAndMigrate, { keepServices: true });
    await settle();
    const db = run.executor.call("db");
    db.ready();
    await settle();
    run.executor.call("migrate").succeed();
    const [service] = (await run.done).services ?? [];
    const eventsAtEnd = run.events.length;
    db.output("stdout", "listening\n");
    const heard: string[] = [];
    service?.onOutput((stream, chunk) => heard.push(`${stream}:${chunk}`));
    db.output("stderr", "GET /\n");
    assert.deepEqual(heard, ["stdout:listening\n", "stderr:GET /\n"], "early output first");
    assert.equal(run.events.length, eventsAtEnd);
  });

  it("tells the holder when a handed-over service exits by itself", async () => {
    const run = start(dbAndMigrate, { keepServices: true });
    await settle();
    const db = run.executor.call("db");
    db.ready();
    await settle();
    run.executor.call("migrate").succeed();
    const [service] = (await run.done).services ?? [];
    db.fail("exit-code", 3);
    assert.deepEqual(await service?.ended, { ok: false, reason: "exit-code", exitCode: 3 });
  });

  it("keeps ready services when the run is cancelled, and stops one not yet ready", async () => {
    const controller = new AbortController();
    const run = start(
      [
        { id: "db", persistent: true },
        { id: "cache", persistent: true },
        { id: "migrate", dependsOn: ["db", "cache"] },
      ],
      { keepServices: true, signal: controller.signal },
    );
    await settle();
    run.executor.call("db").ready();
    await settle();
    controller.abort();
    const result = await run.done;
    assert.equal(run.executor.call("db").signal.aborted, false);
    assert.equal(run.executor.call("cache").signal.aborted, true);
    assert.equal(result.status, "cancelled");
    assert.deepEqual(status(result), {
      db: "succeeded",
      cache: "cancelled:aborted",
      migrate: "cancelled:aborted",
    });
    assert.deepEqual(
      result.services?.map((s) => s.taskId),
      ["db"],
    );
  });

  it("keeps a ready service when another task fails the run", async () => {
    const run = start(
      [{ id: "db", persistent: true }, { id: "migrate", dependsOn: ["db"] }, { id: "lint" }],
      { keepServices: true },
    );
    await settle();
    run.executor.call("db").ready();
    await settle();
    const migrate = run.executor.call("migrate");
    run.executor.call("lint").fail("exit-code", 1);
    const result = await run.done;
    assert.equal(migrate.signal.aborted, true, "the work in progress stops");
    assert.equal(run.executor.call("db").signal.aborted, false);
    assert.deepEqual(status(result), {
      db: "succeeded",
      migrate: "cancelled:aborted",
      lint: "failed:exit-code",
    });
    assert.equal(result.services?.length, 1);
  });

  it("does not start again a service an earlier run handed over, and starts its dependents", async () => {
    const executor = new ScriptedExecutor<string>();
    const first = start(dbAndMigrate, { keepServices: true }, executor);
    await settle();
    executor.call("db").ready();
    await settle();
    executor.call("migrate").succeed();
    const [db] = (await first.done).services ?? [];
    const second = start(
      dbAndMigrate,
      {
        keepServices: true,
        done: new Map([[db?.taskId ?? "", undefined]]),
      },
      executor,
    );
    await settle();
    assert.deepEqual(executor.started(), ["db", "migrate", "migrate"]);
    executor.call("migrate").succeed();
    const result = await second.done;
    assert.deepEqual(status(result), { db: "succeeded", migrate: "succeeded" });
    assert.equal(result.tasks[0]?.reused, true);
    assert.deepEqual(result.services, [], "it was never this run's");
    assert.deepEqual(executor.running(), ["db"]);
  });
});

describe("runGraph without keepServices", () => {
  it("stops ready services when the run is cancelled, and hands none over", async () => {
    const controller = new AbortController();
    const run = start(dbAndMigrate, { signal: controller.signal });
    await settle();
    const db = run.executor.call("db");
    db.ready();
    await settle();
    controller.abort();
    const result = await run.done;
    assert.equal(db.signal.aborted, true);
    assert.deepEqual(result.services, []);
    assert.deepEqual(status(result), { db: "succeeded", migrate: "cancelled:aborted" });
  });
});
