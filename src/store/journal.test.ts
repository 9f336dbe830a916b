import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import type { RunEvent } from "../core/index.js";
import { taskRecord } from "../testing/index.js";
import { estimatesFile, readLearned, writeLearned } from "./estimates-file.js";
import { journalDir, journalHeader, journalLine, liveRuns, readJournal } from "./journal-file.js";
import type { RecordedEvent, RunnerAlive } from "./journal-file.js";
import { openJournal } from "./journal.js";
import { openStore, SqliteStore } from "./sqlite-store.js";

const config = "parex.config.json";

const started = (runId: string, tasks: string[]): RecordedEvent => ({
  runId,
  type: "run.started",
  time: 0,
  tasks,
  concurrency: 1,
  strategy: "all",
});

const start = (runId: string, taskId: string, time: number): RecordedEvent => ({
  runId,
  type: "task.started",
  time,
  taskId,
  attempt: 1,
  slot: 0,
});

const finish = (
  runId: string,
  taskId: string,
  from: number,
  to: number,
  extra: Parameters<typeof taskRecord>[3] = {},
): RecordedEvent => ({
  runId,
  type: "task.finished",
  time: to,
  taskId,
  attempt: 1,
  task: taskRecord(taskId, from, to, extra),
});

const ended = (runId: string, time: number): RecordedEvent => ({
  runId,
  type: "run.finished",
  time,
  status: "succeeded",
});

/** A run of one task that succeeds after `ms`. */
const oneTaskRun = (runId: string, taskId: string, ms: number): RecordedEvent[] => [
  started(runId, [taskId]),
  start(runId, taskId, 0),
  finish(runId, taskId, 0, ms),
  ended(runId, ms),
];

/**
 * The processes the tests pretend are running, by pid, with when each started (ms since the
 * epoch): a runner is alive for a journal if it started no later than the journal.
 */
const processes = new Map<number, number>();
const runnerAlive: RunnerAlive = (pid, sinceMs) => (processes.get(pid) ?? Infinity) <= sinceMs;

function options(dir: string) {
  const warnings: string[] = [];
  return { dir, config, warn: (m: string) => warnings.push(m), warnings, runnerAlive };
}

async function history(dir: string, of = config): Promise<SqliteStore> {
  const store = await openStore({ ...options(dir), config: of });
  assert.ok(store instanceof SqliteStore);
  return store;
}

const journals = (dir: string) => (existsSync(journalDir(dir)) ? readdirSync(journalDir(dir)) : []);

/** The pid of a runner that has ended: no process has it. */
const deadPid = () => 999_999;

/** Writes a journal as runner `pid` would have left it. */
function leaveJournal(
  dir: string,
  pid: number,
  events: RecordedEvent[],
  { tail = "", of = config, created = Date.now() } = {},
): string {
  mkdirSync(journalDir(dir), { recursive: true });
  const file = join(journalDir(dir), `${pid}.${created}.jsonl`);
  writeFileSync(file, journalHeader(of) + events.map(journalLine).join("") + tail);
  return file;
}

describe("run journal", () => {
  it("records a run while it runs and commits it, with its summary and learned durations, as it closes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const first = options(dir);
    const journal = await openJournal(first);
    assert.deepEqual(journal.estimates(), new Map());
    const run: RunEvent[] = [
      started("r1", ["build", "test"]),
      start("r1", "build", 0),
      {
        runId: "r1",
        type: "task.output",
        time: 1,
        taskId: "build",
        attempt: 1,
        stream: "stdout",
        chunk: "x",
      },
      finish("r1", "build", 0, 100),
      start("r1", "test", 100),
      finish("r1", "test", 100, 150),
      ended("r1", 150),
    ];
    for (const event of run) journal.listener(event);
    assert.equal(existsSync(join(dir, "history.db")), false, "no SQLite while the tasks run");
    journal.saveSummary("r1", { makespanMs: 150 });
    await journal.close();
    assert.deepEqual(first.warnings, []);
    assert.deepEqual(journals(dir), [], "a committed journal is deleted");
    const store = await history(dir);
    assert.deepEqual(
      store.recent(5).map((r) => [r.id, r.status, r.tasks, r.summary]),
      [["r1", "succeeded", 2, { makespanMs: 150 }]],
    );
    const learned = new Map([
      ["build", 100],
      ["test", 50],
    ]);
    assert.deepEqual(store.estimates(), learned);
    store.close();
    // The next run reads them from their file, without opening history.db.
    assert.deepEqual(readLearned(estimatesFile(dir, config))?.estimates, learned);
    assert.deepEqual((await openJournal(options(dir))).estimates(), learned);
  });

  it("leaves a run of cache hits only for the next open to commit, up to 8 such runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const hitRun = (runId: string): RecordedEvent[] => [
      started(runId, ["build"]),
      start(runId, "build", 0),
      finish(runId, "build", 0, 3, { cached: true }),
      ended(runId, 3),
    ];
    const record = async (events: RecordedEvent[]): Promise<void> => {
      const journal = await openJournal(options(dir));
      for (const event of events) journal.listener(event);
      journal.saveSummary(events[0]?.runId ?? "", { makespanMs: 3 });
      await journal.close();
    };
    for (let i = 1; i <= 8; i++) await record(hitRun(`hit${i}`));
    assert.equal(existsSync(join(dir, "history.db")), false, "eight runs of hits opened no SQLite");
    assert.equal(journals(dir).length, 8);
    await record(hitRun("hit9"));
    assert.equal(journals(dir).length, 0, "the ninth committed all nine");
    await record(hitRun("hit10"));
    await record(oneTaskRun("ran", "build", 40));
    assert.equal(journals(dir).length, 0, "a run that ran a task commits at once");
    const store = await history(dir);
    assert.deepEqual(
      store.recent(3).map((r) => [r.id, r.status, r.summary]),
      [
        ["ran", "succeeded", { makespanMs: 3 }],
        ["hit10", "succeeded", { makespanMs: 3 }],
        ["hit9", "succeeded", { makespanMs: 3 }],
      ],
    );
    assert.equal(store.recent(20).length, 11);
    assert.deepEqual(store.estimates(), new Map([["build", 40]]), "hits teach no duration");
    store.close();
  });

  it("writes a task's end the moment it ends, an attempt's start within 25 ms", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const journal = await openJournal(options(dir));
    const [file] = [() => join(journalDir(dir), journals(dir)[0] ?? "")];
    const types = () => readJournal(file()).events.map((e) => e.type);
    journal.listener(started("r", ["a", "b"]));
    assert.deepEqual(types(), ["run.started"]);
    journal.listener(start("r", "a", 1));
    journal.listener({
      runId: "r",
      type: "task.process",
      time: 2,
      taskId: "a",
      attempt: 1,
      pid: 7,
    });
    assert.deepEqual(types(), ["run.started"], "starts wait to be written together");
    t.mock.timers.tick(25);
    assert.deepEqual(types(), ["run.started", "task.started", "task.process"]);
    journal.listener(start("r", "b", 3));
    journal.listener(finish("r", "a", 1, 9));
    assert.deepEqual(types().slice(3), ["task.started", "task.finished"]);
    t.mock.timers.reset();
    await journal.close();
  });

  it("is committed by the next command when its runner died, up to its last whole line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    leaveJournal(
      dir,
      deadPid(),
      [
        started("crashed", ["a", "b", "c"]),
        start("crashed", "a", 0),
        finish("crashed", "a", 0, 10),
        start("crashed", "b", 10),
        { runId: "crashed", type: "task.process", time: 11, taskId: "b", attempt: 1, pid: 4242 },
      ],
      { tail: '{"runId":"crashed","type":"task.fin' }, // the runner was killed writing this line
    );
    const store = await history(dir);
    assert.deepEqual(journals(dir), []);
    assert.deepEqual(
      store.recent(1).map((r) => [r.id, r.status, r.finishedAt]),
      [["crashed", "interrupted", 11]],
      "ended, as far as anyone knows, at its journal's last event",
    );
    assert.deepEqual(store.resumePoint("crashed"), { succeeded: ["a"], orphans: [4242] });
    assert.deepEqual(store.estimates(), new Map(), "a run that never finished teaches nothing");
    store.close();
  });

  it("puts an interrupted run right when its runner, taken for dead, commits its end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    // Its journal was committed by a command that could not see its runner (a container).
    const file = leaveJournal(dir, deadPid(), [started("alive", ["a"]), start("alive", "a", 1)]);
    const copy = readFileSync(file, "utf8");
    const store = await history(dir);
    assert.deepEqual(
      store.recent(1).map((r) => [r.status, r.finishedAt]),
      [["interrupted", 1]],
    );
    writeFileSync(
      file,
      copy + [finish("alive", "a", 1, 40), ended("alive", 40)].map(journalLine).join(""),
    );
    store.ingest(file);
    assert.deepEqual(
      store.recent(1).map((r) => [r.status, r.finishedAt]),
      [["succeeded", 40]],
    );
    store.close();
  });

  it("commits the task graph of a run with the run, and of a run whose runner died", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const graph = { concurrency: 2, tasks: [{ id: "a", dependsOn: [], estimateMs: 5 }] };
    const journal = await openJournal(options(dir));
    const [first, ...rest] = oneTaskRun("g", "a", 5);
    if (first !== undefined) journal.listener(first);
    journal.saveGraph("g", graph);
    for (const event of rest) journal.listener(event);
    await journal.close();
    leaveJournal(dir, deadPid(), [started("dead", ["a"])], {
      tail: '{"graphOf":"dead","graph":{"concurrency":1,"tasks":[{"id":"a","dependsOn":[]}]}}\n',
    });
    const store = await history(dir);
    assert.deepEqual(store.graph("g"), graph);
    assert.deepEqual(store.graph("dead"), { concurrency: 1, tasks: [{ id: "a", dependsOn: [] }] });
    store.close();
  });

  it("keeps a summary written before its runner died, the latest one of the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const journal = await openJournal(options(dir));
    for (const event of oneTaskRun("s", "a", 5)) journal.listener(event);
    journal.saveSummary("s", { makespanMs: 5 });
    journal.saveSummary("s", { makespanMs: 5, alerts: ["slow"] }); // after the alerts
    // The runner dies here, before it commits: its journal, as a dead runner leaves it.
    const [name] = journals(dir);
    leaveJournal(dir, deadPid(), [], {
      tail: readFileSync(join(journalDir(dir), name ?? ""), "utf8").replace(/^.*\n/, ""),
    });
    rmSync(join(journalDir(dir), name ?? ""));
    const store = await history(dir);
    assert.deepEqual(
      store.recent(1).map((r) => [r.id, r.status, r.summary]),
      [["s", "succeeded", { makespanMs: 5, alerts: ["slow"] }]],
    );
    store.close();
  });

  it("is left alone while its runner lives, its run listed as running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    processes.set(4242, Date.now() - 1_000);
    const file = leaveJournal(dir, 4242, [started("live", ["a", "b"])]);
    const store = await history(dir);
    assert.deepEqual(store.recent(1), []);
    assert.ok(existsSync(file));
    store.close();
    assert.deepEqual(
      liveRuns(dir, config, runnerAlive).map((r) => [r.id, r.status, r.tasks]),
      [["live", "running", 2]],
    );
    assert.deepEqual(
      liveRuns(dir, "other.config.json", runnerAlive),
      [],
      "runs are listed per config",
    );
  });

  it("is committed when its runner's pid now belongs to a process that started after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    processes.set(4343, Date.now());
    const file = leaveJournal(dir, 4343, [started("reused", ["a"])], {
      created: Date.now() - 60_000,
    });
    const store = await history(dir);
    assert.deepEqual(
      store.recent(1).map((r) => r.id),
      ["reused"],
    );
    assert.equal(existsSync(file), false);
    store.close();
  });

  it("commits a dead runner's run under its own config, whichever config opens the history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    leaveJournal(dir, deadPid(), oneTaskRun("of-a", "t", 30), { of: "a.json" });
    const b = await history(dir, "b.json");
    assert.deepEqual(b.recent(5), []);
    assert.deepEqual(b.estimates(), new Map());
    b.close();
    const a = await history(dir, "a.json");
    assert.deepEqual(
      a.recent(5).map((r) => r.id),
      ["of-a"],
    );
    assert.deepEqual(a.estimates(), new Map([["t", 30]]));
    a.close();
  });

  it("commits a finished run once, even when two commands commit its journal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const one = leaveJournal(dir, deadPid(), oneTaskRun("twice", "a", 80));
    const copy = readFileSync(one, "utf8");
    const store = await history(dir);
    // Another command had read it before this one deleted it, and commits it after.
    writeFileSync(one, copy);
    store.ingest(one);
    assert.equal(existsSync(one), false);
    store.close();
    const db = new Sqlite(join(dir, "history.db"), { readonly: true });
    assert.deepEqual(db.prepare("SELECT task_id, estimate_ms, samples FROM durations").all(), [
      { task_id: "a", estimate_ms: 80, samples: 1 },
    ]);
    db.close();
  });

  it("keeps each task's spread in the estimates file, and reads a file written before spreads", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const file = estimatesFile(dir, config);
    const learned = {
      estimates: new Map([
        ["a", 60],
        ["b", 7.5],
      ]),
      spreads: new Map([["a", 0.35]]),
    };
    writeLearned(file, learned);
    assert.deepEqual(readLearned(file), learned);
    writeFileSync(file, '{"a":60,"b":7.5}');
    assert.deepEqual(readLearned(file), { estimates: learned.estimates, spreads: new Map() });
  });

  it("rebuilds the estimates file from history.db when it is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    const store = await history(dir);
    for (const event of oneTaskRun("old", "a", 60)) store.listener(event);
    store.close();
    assert.equal(readLearned(estimatesFile(dir, config))?.estimates, undefined);
    const journal = await openJournal(options(dir));
    assert.deepEqual(journal.estimates(), new Map([["a", 60]]));
    assert.deepEqual(readLearned(estimatesFile(dir, config))?.estimates, new Map([["a", 60]]));
  });

  it("stops with one warning when it cannot be written, and the run goes on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-journal-"));
    writeFileSync(join(dir, "journal"), "a file where the journal directory would go");
    const opened = options(dir);
    const journal = await openJournal(opened);
    journal.listener(started("r", ["a"]));
    journal.listener(finish("r", "a", 0, 1));
    journal.listener(ended("r", 1));
    await journal.close();
    assert.equal(opened.warnings.length, 1);
    assert.match(opened.warnings[0] ?? "", /^run history disabled: /);
    assert.equal(existsSync(join(dir, "history.db")), false);
  });
});
