import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import type { RunEvent, TaskRecord } from "../core/index.js";
import { seededRandom, standardNormal } from "../core/index.js";
import { taskRecord } from "../testing/index.js";
import { migrations } from "./migrations.js";
import { ignoreAll } from "./parex-dir.js";
import { migrate, openStore, readStore, SqliteStore } from "./sqlite-store.js";

function events(runId: string, durations: Record<string, number>): RunEvent[] {
  const ids = Object.keys(durations);
  const list: RunEvent[] = [
    { runId, type: "run.started", time: 0, tasks: ids, concurrency: 1, strategy: "all" },
  ];
  let time = 0;
  for (const id of ids) {
    list.push({ runId, type: "task.started", time, taskId: id, attempt: 1, slot: 0 });
    const end = time + (durations[id] ?? 0);
    list.push({
      runId,
      type: "task.finished",
      time: end,
      taskId: id,
      attempt: 1,
      task: taskRecord(id, time, end),
    });
    time = end;
  }
  list.push({ runId, type: "run.finished", time, status: "succeeded" });
  return list;
}

async function open(dir: string): Promise<SqliteStore> {
  const warnings: string[] = [];
  const store = await openStore({
    dir,
    config: "parex.config.json",
    warn: (m) => warnings.push(m),
    runnerAlive: () => false,
  });
  assert.ok(store instanceof SqliteStore, warnings.join("; "));
  return store;
}

describe("SQLite run history", () => {
  it("records runs as their events happen and reads them back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir);
    for (const event of events("run_a", { build: 100, test: 50 })) store.listener(event);
    store.saveSummary("run_a", { runId: "run_a", makespanMs: 150 });
    assert.deepEqual(
      store.recent(5).map((r) => [r.id, r.status, r.tasks]),
      [["run_a", "succeeded", 2]],
    );
    assert.deepEqual(store.find("run_")?.summary, { runId: "run_a", makespanMs: 150 });
    store.close();
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    assert.deepEqual(
      db.prepare("SELECT task_id, status, duration_ms FROM tasks ORDER BY task_id").all(),
      [
        { task_id: "build", status: "succeeded", duration_ms: 100 },
        { task_id: "test", status: "succeeded", duration_ms: 50 },
      ],
    );
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();
  });

  it("keeps a run's task graph, and lists the runs of one status", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir);
    const [first, ...rest] = events("run_g", { build: 10 });
    if (first !== undefined) store.listener(first);
    const graph = { concurrency: 1, tasks: [{ id: "build", dependsOn: [], estimateMs: 12 }] };
    store.saveGraph("run_g", graph);
    for (const event of rest) store.listener(event);
    store.listener({
      runId: "run_f",
      type: "run.started",
      time: 1,
      tasks: [],
      concurrency: 1,
      strategy: "all",
    });
    store.listener({ runId: "run_f", type: "run.finished", time: 2, status: "failed" });
    assert.deepEqual(store.graph("run_g"), graph);
    assert.equal(store.graph("run_f"), undefined, "a run recorded without one");
    assert.deepEqual(
      store.recent(5, "failed").map((r) => r.id),
      ["run_f"],
    );
    assert.deepEqual(
      store.recent(5).map((r) => r.id),
      ["run_f", "run_g"],
    );
    store.close();
  });

  it("keeps each run's attempts apart when concurrent runs share one batch (parex serve)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir);
    const started = (runId: string): RunEvent[] => [
      { runId, type: "run.started", time: 0, tasks: ["t"], concurrency: 1, strategy: "all" },
      { runId, type: "task.started", time: 1, taskId: "t", attempt: 1, slot: 0 },
    ];
    // Both runs start `t` within one batch; run a's process and end arrive in the same batch.
    for (const event of [...started("a"), ...started("b")]) store.listener(event);
    store.listener({
      runId: "a",
      type: "task.process",
      time: 2,
      taskId: "t",
      attempt: 1,
      pid: 111,
    });
    store.listener({
      runId: "a",
      type: "task.finished",
      time: 5,
      taskId: "t",
      attempt: 1,
      task: taskRecord("t", 1, 5),
    });
    store.recent(1); // commits the batch
    // Run b's process arrives in a later batch: an update of the row written before.
    store.listener({
      runId: "b",
      type: "task.process",
      time: 6,
      taskId: "t",
      attempt: 1,
      pid: 222,
    });
    store.close();
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    assert.deepEqual(
      db.prepare("SELECT run_id, status, pid, finished_at FROM attempts ORDER BY run_id").all(),
      [
        { run_id: "a", status: "succeeded", pid: 111, finished_at: 5 },
        { run_id: "b", status: "running", pid: 222, finished_at: null },
      ],
    );
    db.close();
  });

  it("writes an attempt that outlasts its batch twice: started (with its process group), then ended", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir);
    const at = { runId: "r", taskId: "t" };
    store.listener({ ...events("r", {})[0], time: 0 } as RunEvent);
    store.listener({ ...at, type: "task.started", time: 1, attempt: 1, slot: 0 });
    store.listener({ ...at, type: "task.process", time: 2, attempt: 1, pid: 4242 });
    // What a resume after a crash here sees: nothing succeeded, one process group to stop.
    assert.deepEqual(store.resumePoint("r"), { succeeded: [], orphans: [4242] });
    store.listener({
      ...at,
      type: "task.retry-scheduled",
      time: 3,
      attempt: 1,
      reason: "exit-code",
      delayMs: 0,
    });
    store.listener({ ...at, type: "task.started", time: 4, attempt: 2, slot: 1 });
    assert.deepEqual(store.resumePoint("r"), { succeeded: [], orphans: [] });
    store.listener({
      ...at,
      type: "task.finished",
      time: 9,
      attempt: 2,
      task: taskRecord("t", 4, 9, { attempts: 2 }),
    });
    assert.deepEqual(store.resumePoint("r"), { succeeded: ["t"], orphans: [] });
    store.close();
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    assert.deepEqual(
      db
        .prepare(
          "SELECT attempt, slot, started_at, finished_at, status, reason, pid FROM attempts ORDER BY attempt",
        )
        .all(),
      [
        {
          attempt: 1,
          slot: 0,
          started_at: 1,
          finished_at: 3,
          status: "failed",
          reason: "exit-code",
          pid: 4242,
        },
        {
          attempt: 2,
          slot: 1,
          started_at: 4,
          finished_at: 9,
          status: "succeeded",
          reason: null,
          pid: null,
        },
      ],
    );
    db.close();
  });

  it("learns each task's duration as an exponentially weighted mean across runs", async () => {
    const store = await open(mkdtempSync(join(tmpdir(), "parex-store-")));
    for (const event of events("r1", { build: 100 })) store.listener(event);
    assert.deepEqual([...store.estimates()], [["build", 100]]);
    for (const event of events("r2", { build: 200 })) store.listener(event);
    assert.deepEqual([...store.estimates()], [["build", 150]]);
    assert.deepEqual(
      [...store.durationPercentile(95)],
      [["build", 200]],
      "the usual time for alerts: p95",
    );
    store.close();
  });

  it("learns how much each task's duration varies, from ±20 % until it knows better", async () => {
    const store = await open(mkdtempSync(join(tmpdir(), "parex-store-")));
    for (const event of events("r1", { steady: 100, jumpy: 100 })) store.listener(event);
    assert.deepEqual(
      [...store.spreads()],
      [
        ["jumpy", 0.2],
        ["steady", 0.2],
      ],
    );
    const jumpy = [300, 40, 250, 60, 200, 50];
    jumpy.forEach((ms, i) => {
      for (const event of events(`r${i + 2}`, { steady: 100, jumpy: ms })) store.listener(event);
    });
    const spreads = store.spreads();
    assert.ok((spreads.get("steady") ?? 1) < 0.05, `steady: ${spreads.get("steady")}`);
    assert.ok((spreads.get("jumpy") ?? 0) > 0.5, `jumpy: ${spreads.get("jumpy")}`);
    store.close();
  });

  it("learns a steady spread as itself: the variance it keeps averages σ², not two thirds of it", async () => {
    // Each duration 1 s times exp(0.3 · a standard normal), from a fixed generator. The mean
    // it is measured against lags behind, which a plain weighted variance would read as 2/3 σ².
    const store = await open(mkdtempSync(join(tmpdir(), "parex-store-")));
    const random = seededRandom(7);
    const learned: number[] = [];
    for (let run = 0; run < 400; run++) {
      const ms = Math.round(1_000 * Math.exp(0.3 * standardNormal(random)));
      for (const event of events(`r${run}`, { t: ms })) store.listener(event);
      if (run >= 20) learned.push((store.spreads().get("t") ?? 0) ** 2);
    }
    const variance = learned.reduce((a, b) => a + b, 0) / learned.length;
    assert.ok(variance > 0.075 && variance < 0.105, `mean variance ${variance}, σ² is 0.09`);
    store.close();
  });

  it("does not learn a cache hit's duration, and records each task's cache status", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir);
    for (const event of events("r1", { build: 800 })) store.listener(event);
    store.saveSummary("r1", { tasks: [{ id: "build", cache: "miss" }], cache: { hits: 0 } });
    for (const runId of ["r2", "r3"]) {
      for (const event of events(runId, { build: 3 })) {
        const hit =
          event.type === "task.finished"
            ? { ...event, task: { ...event.task, cached: true as const } }
            : event;
        store.listener(hit);
      }
    }
    assert.deepEqual([...store.estimates()], [["build", 800]], "the time it takes to run");
    assert.deepEqual([...store.durationPercentile(50)], [["build", 800]]);
    store.close();
    const db = new Sqlite(join(dir, "history.db"));
    assert.deepEqual(db.prepare("SELECT run_id, cache FROM tasks ORDER BY run_id").all(), [
      { run_id: "r1", cache: "miss" },
      { run_id: "r2", cache: "hit" },
      { run_id: "r3", cache: "hit" },
    ]);
    db.close();
  });

  it("learns from successes of finished runs only, not failures, fallbacks, reused tasks or crashed runs", async () => {
    const store = await open(mkdtempSync(join(tmpdir(), "parex-store-")));
    for (const event of events("r1", { a: 100, b: 100, c: 100, d: 100 })) store.listener(event);
    const finish = (runId: string, id: string, extra: Partial<TaskRecord>): RunEvent => ({
      runId,
      type: "task.finished",
      time: 900,
      taskId: id,
      attempt: 1,
      task: taskRecord(id, 0, 900, extra),
    });
    const second = events("r2", {});
    store.listener(second[0] as RunEvent);
    store.listener(finish("r2", "a", { status: "failed", reason: "exit-code" }));
    store.listener(finish("r2", "b", { fallbackUsed: true }));
    store.listener(finish("r2", "c", {}));
    // Succeeded in the run this one resumed: it did not run, it has no duration.
    store.listener(finish("r2", "d", { reused: true, attempts: 0, spans: [] }));
    store.listener(second[1] as RunEvent);
    // A third run that never finishes (its runner was killed) teaches nothing.
    store.listener(events("r3", {})[0] as RunEvent);
    store.listener(finish("r3", "a", {}));
    assert.deepEqual([...store.estimates()].sort(), [
      ["a", 100],
      ["b", 100],
      ["c", 500],
      ["d", 100],
    ]);
    store.close();
  });

  it("marks a run interrupted once the process recording it is gone, ended at its last attempt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    // A `parex serve` (this process) records two runs; neither ends.
    const serve = await open(dir);
    for (const event of events("gone", { a: 10, b: 20 }).slice(0, 4)) serve.listener(event);
    for (const event of events("alive", { a: 10 }).slice(0, 2)) serve.listener(event);
    serve.close();
    const db = new Sqlite(join(dir, "history.db"));
    // `gone` was recorded by a process that has ended since; `alive` by one still running.
    db.prepare("UPDATE runs SET runner_pid = 999999 WHERE id = 'gone'").run();
    db.prepare("UPDATE runs SET runner_pid = 4242 WHERE id = 'alive'").run();
    db.close();
    const reader = await openStore({
      dir,
      config: "parex.config.json",
      warn: (m) => assert.fail(m),
      runnerAlive: (pid) => pid === 4242,
    });
    assert.ok(reader instanceof SqliteStore);
    assert.deepEqual(
      reader
        .recent(5)
        .map((r) => [r.id, r.status, r.finishedAt])
        .sort(),
      [
        ["alive", "running", undefined],
        ["gone", "interrupted", 10],
      ],
    );
    reader.close();
  });

  it("keeps the runs this process records running, and links a run to the run that resumed it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const store = await open(dir); // its runnerAlive says every other process is dead
    for (const event of events("mine", { a: 10 }).slice(0, 2)) store.listener(event);
    store.markResumed("mine", "run_next");
    assert.deepEqual(
      store.recent(1).map((r) => [r.status, r.resumedBy]),
      [["running", "run_next"]],
    );
    store.close();
  });

  it("reads an empty history where there is none, creating nothing; writing creates a .parex that ignores itself", async () => {
    const root = mkdtempSync(join(tmpdir(), "parex-store-"));
    const dir = join(root, ".parex");
    const options = {
      dir,
      config: "parex.config.json",
      warn: (m: string) => assert.fail(m),
      runnerAlive: () => false,
    };
    const reader = await readStore(options);
    assert.ok(reader instanceof SqliteStore);
    assert.deepEqual([reader.recent(5), reader.estimates()], [[], new Map()]);
    reader.close();
    assert.deepEqual(readdirSync(root), []);
    await (await openStore(options)).close();
    assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), ignoreAll);
    // A .parex that was there already is left as it is.
    const older = join(mkdtempSync(join(tmpdir(), "parex-store-")), ".parex");
    mkdirSync(older);
    await (await openStore({ ...options, dir: older })).close();
    assert.equal(existsSync(join(older, ".gitignore")), false);
  });

  it("brings an older database up to date without losing its runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    // A history written by a parex that knew only the first schema version.
    const old = new Sqlite(join(dir, "history.db"));
    old.exec(migrations[0] ?? "");
    old.pragma("user_version = 1");
    old
      .prepare(
        `INSERT INTO runs (id, config, started_at, status, strategy, concurrency, tasks, summary)
         VALUES ('old', 'parex.config.json', 0, 'succeeded', 'all', 1, 1, '{"makespanMs":7}')`,
      )
      .run();
    old.exec(`INSERT INTO tasks (run_id, task_id, status, attempts, duration_ms, fallback_used)
              VALUES ('old', 'build', 'succeeded', 1, 40, 0);
              INSERT INTO attempts (run_id, task_id, attempt, slot, started_at, finished_at, status)
              VALUES ('old', 'build', 1, 0, 0, 40, 'succeeded');`);
    old.close();
    const store = await open(dir);
    assert.deepEqual(
      store.recent(5).map((r) => r.id),
      ["old"],
    );
    // Its summary, stored as text then, reads as one stored (deflated) now.
    assert.deepEqual(store.find("old")?.summary, { makespanMs: 7 });
    store.close();
    const db = new Sqlite(join(dir, "history.db"));
    assert.equal(db.pragma("user_version", { simple: true }), migrations.length);
    const columns = (db.prepare("PRAGMA table_info(attempts)").all() as { name: string }[]).map(
      (c) => c.name,
    );
    assert.ok(columns.includes("pid"));
    assert.deepEqual(db.prepare("SELECT task_id, cache FROM tasks").all(), [
      { task_id: "build", cache: null },
    ]);
    assert.deepEqual(db.prepare("SELECT task_id, duration_ms FROM tasks").all(), [
      { task_id: "build", duration_ms: 40 },
    ]);
    assert.deepEqual(db.prepare("SELECT task_id, finished_at, pid FROM attempts").all(), [
      { task_id: "build", finished_at: 40, pid: null },
    ]);
    migrate(db); // nothing left to do
    db.close();
  });

  it("lets readers in while a run writes (WAL)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const writer = await open(dir);
    const reader = await open(dir);
    const [started, ...rest] = events("live", { build: 10, test: 10 });
    if (started) writer.listener(started); // a run's start and end are written at once
    assert.deepEqual(
      reader.recent(1).map((r) => [r.id, r.status]),
      [["live", "running"]],
    );
    for (const event of rest) writer.listener(event);
    assert.deepEqual(
      reader.recent(1).map((r) => r.status),
      ["succeeded"],
    );
    writer.close();
    reader.close();
  });

  it("writes short tasks together, a task still running by its second look and 1 s of finished work at once", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const writer = await open(dir);
    // The store looks at its batch every 25 ms; ticked here by hand. Its other rule (nothing
    // waits longer than 250 ms) reads the real clock, which barely moves in this test.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    const attempts = () =>
      db
        .prepare("SELECT run_id, task_id, status, pid FROM attempts ORDER BY run_id, task_id")
        .all();
    const [started, ...rest] = events("r", { quick: 5, long: 1_000 });
    const [quickStarts, quickEnds, longStarts, longEnds] = rest;
    for (const event of [started, quickStarts, quickEnds, longStarts]) {
      writer.listener(event as RunEvent);
    }
    const processEvent = (runId: string, taskId: string, pid: number): RunEvent => ({
      runId,
      type: "task.process",
      time: 6,
      taskId,
      attempt: 1,
      pid,
    });
    writer.listener(processEvent("r", "long", 77));
    assert.deepEqual(attempts(), [], "nothing but the run's start is written at once");
    t.mock.timers.tick(25);
    assert.deepEqual(attempts(), [], "a look finds nothing that has run for a whole look yet");
    t.mock.timers.tick(25); // `long` started before the first look and is still running
    assert.deepEqual(attempts(), [
      { run_id: "r", task_id: "long", status: "running", pid: 77 },
      { run_id: "r", task_id: "quick", status: "succeeded", pid: null },
    ]);
    writer.listener(longEnds as RunEvent); // 1 s of work that a crash would make run again
    assert.deepEqual(attempts(), [
      { run_id: "r", task_id: "long", status: "succeeded", pid: 77 },
      { run_id: "r", task_id: "quick", status: "succeeded", pid: null },
    ]);

    // An attempt written before its process group was known (another run's start committed
    // the batch in between): the group is written by the second look too.
    writer.listener({
      runId: "r",
      type: "task.started",
      time: 7,
      taskId: "late",
      attempt: 1,
      slot: 1,
    });
    writer.listener(events("other", {})[0] as RunEvent);
    writer.listener(processEvent("r", "late", 88));
    t.mock.timers.tick(25);
    t.mock.timers.tick(25);
    assert.deepEqual(attempts()[0], { run_id: "r", task_id: "late", status: "running", pid: 88 });
    db.close();
    writer.close();
  });

  it("writes a batch of short tasks after a while, not at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-store-"));
    const writer = await open(dir);
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    const count = () => (db.prepare("SELECT count(*) AS n FROM tasks").get() as { n: number }).n;
    const [started, ...rest] = events("r", { a: 5, b: 5 });
    for (const event of [started, ...rest.slice(0, 4)]) writer.listener(event as RunEvent);
    assert.equal(count(), 0);
    // Within 250 ms by the store's clock; polled up to 5 s, so that a busy machine is no failure.
    for (let waited = 0; count() < 2 && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(count(), 2);
    db.close();
    writer.close();
  });
});
