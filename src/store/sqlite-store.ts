import { existsSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { percentile } from "../core/index.js";
import type { GraphOutline, RunEvent, RunStore } from "../core/index.js";
import { interruptedRuns } from "./interrupted-runs.js";
import type { Recorder } from "./interrupted-runs.js";
import { isRecorded, journalDir, readJournal, staleJournals } from "./journal-file.js";
import type { JournalContent, RecordedEvent, RunnerAlive } from "./journal-file.js";
import { migrations } from "./migrations.js";
import { makeParexDir } from "./parex-dir.js";
import type { RunRow } from "./run-row.js";

export type { RunRow };

/**
 * When events are committed. Each commit costs the runner's main thread (SQLite's writes, and
 * the pages they touch, which every fork makes the runner copy), so short tasks are written
 * together; what a crash can lose stays small all the same:
 * - an attempt still running `runningMs` to twice that after it started is written with its
 *   process group (a resume stops that group if it is still alive);
 * - finished tasks are written at once when their unwritten work reaches `workMs` (what a
 *   resume could have to run again);
 * - nothing waits longer than `delayMs` (give or take a look: the batch is looked at every
 *   `runningMs`);
 * - a run's start and end are written at once.
 */
const commitAfter = { runningMs: 25, workMs: 1_000, delayMs: 250 };

/** Weight of the newest duration in a task's estimate (an exponentially weighted mean). */
const newestWeight = 0.5;

/** Where the history lives and whom to tell when it cannot be written. */
export interface OpenStoreOptions {
  /** The `.parex` directory; created on the first write (with a `.gitignore` of `*`). */
  readonly dir: string;
  /** Which config the runs belong to (durations are learned per config and task). */
  readonly config: string;
  /** Told, once, why history is not being written. */
  readonly warn: (message: string) => void;
  /** Whether a journal's runner still runs: its journal is committed only once it does not. */
  readonly runnerAlive: RunnerAlive;
}

/** The run history in `<dir>/history.db` (SQLite, WAL): runs, attempts, tasks, learned durations. */
export class SqliteStore implements RunStore {
  readonly #db: Database.Database;
  readonly #options: OpenStoreOptions;
  readonly #config: string;
  readonly #warn: (message: string) => void;
  readonly #statements: ReturnType<typeof prepare>;
  readonly #interrupted: ReturnType<typeof interruptedRuns>;
  /** This process, as the recorder of the runs it writes (`parex serve`). */
  readonly #recorder: Recorder = [process.pid, Date.now()];
  readonly #write: (events: readonly RecordedEvent[]) => void;
  readonly #ingest: (journal: JournalContent, config: string) => void;
  #broken = false;
  readonly #pending: RecordedEvent[] = [];
  /** When the first pending event came (performance.now()). */
  #pendingSince = 0;
  /** Work of the finished tasks among the pending events, in ms. */
  #pendingWorkMs = 0;
  /**
   * The pending events as the timer saw them: those before `#checked` started attempts that had
   * all ended by the last look; those from there to `#looked` came before the last look.
   */
  #checked = 0;
  #looked = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Attempts that have started and not yet ended, by `attemptKey`. */
  readonly #open = new Map<string, AttemptRow>();

  constructor(db: Database.Database, options: OpenStoreOptions) {
    this.#db = db;
    this.#options = options;
    this.#config = options.config;
    this.#warn = options.warn;
    this.#statements = prepare(db);
    this.#interrupted = interruptedRuns(db);
    this.#write = db.transaction((events: readonly RecordedEvent[]) =>
      this.#commit(events, this.#config, this.#recorder),
    );
    // BEGIN IMMEDIATE: two commands committing the same journal at once cannot both find its
    // run unwritten.
    const ingest = db.transaction((journal: JournalContent, config: string) => {
      const first = journal.events[0];
      if (first === undefined || this.#statements.finished.get(first.runId) !== undefined) return;
      // Its runner has ended (or ends now, committing it): recorded by no one from here on.
      this.#commit(journal.events, config, undefined);
      this.#forget(first.runId);
      if (!journal.events.some((event) => event.type === "run.finished")) {
        const last = journal.events.reduce((at, event) => Math.max(at, event.time), first.time);
        this.#interrupted.endedAt(first.runId, last);
      }
      for (const [runId, json] of journal.summaries) this.#summaryRow(runId, json);
      for (const [runId, json] of journal.graphs ?? []) this.#statements.graph.run(json, runId);
    });
    this.#ingest = (journal, config) => ingest.immediate(journal, config);
  }

  estimates(): ReadonlyMap<string, number> {
    this.#flush();
    const rows = this.#safe(
      () =>
        this.#statements.estimates.all(this.#config) as { task_id: string; estimate_ms: number }[],
    );
    return new Map((rows ?? []).map((row) => [row.task_id, row.estimate_ms]));
  }

  spreads(): ReadonlyMap<string, number> {
    this.#flush();
    const rows = this.#safe(
      () => this.#statements.spreads.all(this.#config) as { task_id: string; log_var: number }[],
    );
    return new Map((rows ?? []).map((row) => [row.task_id, Math.sqrt(Math.max(0, row.log_var))]));
  }

  /**
   * Records a run's event; see `commitAfter` for when it is committed. It runs between the
   * runner's forks, and each page it writes after a fork costs a copy-on-write fault: so it only
   * queues the event and adds up work, and the batch is looked at when its timer fires.
   */
  readonly listener = (event: RunEvent): void => {
    if (this.#broken || !isRecorded(event)) return;
    if (this.#pending.length === 0) this.#pendingSince = performance.now();
    this.#pending.push(event);
    if (event.type === "run.started" || event.type === "run.finished") {
      this.#flush();
      return;
    }
    if (event.type === "task.finished") {
      for (const span of event.task.spans) this.#pendingWorkMs += span.end - span.start;
      if (this.#pendingWorkMs >= commitAfter.workMs) {
        this.#flush();
        return;
      }
    }
    this.#timer ??= setTimeout(this.#due, commitAfter.runningMs).unref();
  };

  /**
   * Every `runningMs` while events wait: commits when the oldest has waited `delayMs`, or when
   * an attempt that had started (or got its process group) by the previous look is still
   * running.
   */
  readonly #due = (): void => {
    const [from, to] = [this.#checked, this.#looked];
    this.#checked = this.#looked;
    this.#looked = this.#pending.length;
    this.#timer = undefined;
    if (performance.now() - this.#pendingSince >= commitAfter.delayMs) {
      this.#flush();
      return;
    }
    if (stillRunning(this.#pending, from, to)) {
      this.#flush();
      return;
    }
    this.#timer = setTimeout(this.#due, commitAfter.runningMs).unref();
  };

  readonly #flush = (): void => {
    const events = this.#pending.splice(0);
    this.#pendingWorkMs = 0;
    this.#checked = 0;
    this.#looked = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (events.length > 0) this.#safe(() => this.#write(events));
  };

  /**
   * One batch, in one transaction. An attempt that starts and ends within the batch (most short
   * tasks) is one row written once, not inserted and then updated.
   */
  #commit(events: readonly RecordedEvent[], config: string, recorder: Recorder | undefined): void {
    const attempts = new Set<AttemptRow>();
    for (const event of events) {
      if (event.type === "run.started") {
        this.#statements.run.run(
          event.runId,
          config,
          event.time,
          event.strategy,
          event.concurrency,
          event.tasks.length,
          recorder?.[0] ?? null,
          recorder?.[1] ?? null,
        );
      } else if (event.type === "run.finished") {
        this.#writeAttempts(attempts);
        this.#forget(event.runId);
        this.#statements.endRun.run(event.time, event.status, event.runId);
        // Learned once per run, from its task rows: a duration upsert per task touched a page
        // of the durations table and one of its index in nearly every commit.
        this.#statements.learn.run({
          config,
          run: event.runId,
          weight: newestWeight,
        });
      } else {
        this.#record(event, attempts);
      }
    }
    this.#writeAttempts(attempts);
  }

  /** A finished run's attempts that never ended (a lost event) are not kept for ever. */
  #forget(runId: string): void {
    for (const [key, row] of this.#open) if (row.run === runId) this.#open.delete(key);
  }

  #writeAttempts(attempts: Set<AttemptRow>): void {
    for (const row of attempts) this.#statements.attempt.run(...attemptColumns(row));
    attempts.clear();
  }

  /**
   * Stored deflated, in `summary_deflated`: a summary holds every task (~150 KB for 1,000 tasks),
   * and written as text it was ~40 pages to commit and then to checkpoint as the store closed,
   * a tenth as many deflated. Its own column leaves `summary` (text, read by older versions)
   * empty, so an older parex sharing `.parex/` shows no summary instead of failing.
   */
  saveSummary(runId: string, summary: unknown): void {
    this.#flush();
    this.#safe(() => this.#summaryRow(runId, JSON.stringify(summary)));
  }

  /** Written at once: the run's row exists from its `run.started` on, which is written at once. */
  saveGraph(runId: string, graph: GraphOutline): void {
    this.#flush();
    this.#safe(() => this.#statements.graph.run(JSON.stringify(graph), runId));
  }

  /**
   * The task graph recorded with run `runId` (its full id); undefined when the run has none:
   * it was recorded before parex kept graphs, or is unknown.
   */
  graph(runId: string): GraphOutline | undefined {
    this.#flush();
    const row = this.#safe(
      () => this.#statements.graphOf.get(runId) as { graph: string | null } | undefined,
    );
    try {
      return row?.graph == null ? undefined : (JSON.parse(row.graph) as GraphOutline);
    } catch {
      return undefined; // damaged: as if there were none
    }
  }

  #summaryRow(runId: string, json: string): void {
    this.#statements.summary.run(zlib().deflateRawSync(json, { level: 1 }), runId);
    // Only a run that used the cache has a run-level `cache`: others are not parsed.
    if (!json.includes('"cache":{')) return;
    const tasks = (JSON.parse(json) as { tasks?: { id?: unknown; cache?: unknown }[] }).tasks;
    for (const task of tasks ?? []) {
      if (typeof task.id === "string" && typeof task.cache === "string")
        this.#statements.taskCache.run(task.cache, runId, task.id);
    }
  }

  /**
   * Each task's p-th percentile duration over its last 50 successful runs of this config (cache
   * hits left out: they did not run): the "usual" time alerts compare a task with.
   */
  durationPercentile(p: number): Map<string, number> {
    this.#flush();
    const rows =
      this.#safe(
        () =>
          this.#statements.durations.all(this.#config) as {
            task_id: string;
            duration_ms: number;
          }[],
      ) ?? [];
    const byTask = new Map<string, number[]>();
    for (const row of rows) {
      const list = byTask.get(row.task_id) ?? [];
      if (list.length < 50) list.push(row.duration_ms);
      byTask.set(row.task_id, list);
    }
    return new Map(
      [...byTask].map(([task, list]) => [
        task,
        percentile(
          [...list].sort((a, b) => a - b),
          p,
        ),
      ]),
    );
  }

  /** The most recent runs of this config, newest first; only those of `status` when given. */
  recent(limit: number, status?: string): RunRow[] {
    this.settle();
    const rows =
      this.#safe(
        () =>
          (status === undefined
            ? this.#statements.recent.all(this.#config, limit)
            : this.#statements.recentOf.all(this.#config, status, limit)) as StoredRun[],
      ) ?? [];
    return rows.map(toRunRow);
  }

  /** One run by id (or a unique prefix of it). */
  find(id: string): RunRow | undefined {
    this.settle();
    const row = this.#safe(() => this.#statements.find.get(id, `${id}%`) as StoredRun | undefined);
    return row === undefined ? undefined : toRunRow(row);
  }

  /**
   * What a resumed run needs of run `runId`: the tasks that succeeded (they do not run
   * again), and the process groups of attempts that never finished (to stop, if still alive).
   */
  resumePoint(runId: string): { readonly succeeded: string[]; readonly orphans: number[] } {
    this.#flush();
    const rows = this.#safe(() => ({
      succeeded: (this.#statements.succeeded.all(runId) as { task_id: string }[]).map(
        (r) => r.task_id,
      ),
      orphans: (this.#statements.unfinished.all(runId) as { pid: number }[]).map((r) => r.pid),
    }));
    return rows ?? { succeeded: [], orphans: [] };
  }

  /**
   * Commits a run's journal (journal-file.ts), then deletes it: its events and summary, read from
   * the file unless the caller `known` them, under the config it names (this store's when it
   * names none).
   * A run already in the history (its journal committed by another command) is not written
   * twice.
   */
  ingest(file: string, known?: JournalContent): void {
    this.#flush();
    let journal = known;
    try {
      journal ??= readJournal(file);
    } catch {
      return; // Committed and deleted by another command since it was listed.
    }
    const committed = this.#safe(() => {
      this.#ingest(journal, journal.config ?? this.#config);
      return true;
    });
    if (committed !== true) return; // Kept for a later command to commit.
    try {
      unlinkSync(file);
    } catch {
      // Deleted by another command that committed it too.
    }
  }

  /**
   * Brings the history up to date with runners that died: commits the journals they left, and
   * marks `interrupted` the runs recorded here whose recorder is gone. Done on opening and on
   * every read of the runs, so that a long-lived reader (`parex serve`) sees them too.
   */
  settle(): void {
    this.#flush();
    const { dir, runnerAlive } = this.#options;
    for (const journal of staleJournals(dir, runnerAlive)) this.ingest(journal);
    this.#safe(() => this.#interrupted.ofDeadRecorders(runnerAlive));
  }

  /** Links run `runId` to the run that resumed it (the last one, when it is resumed again). */
  markResumed(runId: string, by: string): void {
    this.#flush();
    this.#safe(() => this.#statements.resumedBy.run(by, runId));
  }

  close(): void {
    this.#flush();
    this.#safe(() => this.#db.close());
  }

  /** Writes a task's row; gathers its attempt's row into the batch's `attempts`. */
  #record(event: RecordedEvent, attempts: Set<AttemptRow>): void {
    switch (event.type) {
      case "task.started": {
        const row: AttemptRow = {
          run: event.runId,
          task: event.taskId,
          attempt: event.attempt,
          slot: event.slot,
          start: event.time,
          end: null,
          status: "running",
          reason: null,
          pid: null,
        };
        this.#open.set(attemptKey(event.runId, event.taskId, event.attempt), row);
        attempts.add(row);
        return;
      }
      case "task.process": {
        const row = this.#open.get(attemptKey(event.runId, event.taskId, event.attempt));
        if (row === undefined) return;
        row.pid = event.pid;
        attempts.add(row);
        return;
      }
      case "task.retry-scheduled":
        this.#end(attempts, event.runId, event.taskId, event.attempt, {
          end: event.time,
          status: "failed",
          reason: event.reason,
        });
        return;
      case "task.finished": {
        const task = event.task;
        if (task.attempts > 0) {
          this.#end(attempts, event.runId, task.id, task.attempts, {
            end: event.time,
            status: task.status,
            reason: task.reason ?? null,
          });
        }
        const durationMs = task.spans.reduce((sum, span) => sum + span.end - span.start, 0);
        this.#statements.task.run(
          event.runId,
          task.id,
          task.status,
          task.reason ?? null,
          task.attempts,
          task.spans.length > 0 ? durationMs : null,
          task.exitCode ?? null,
          task.signal ?? null,
          task.group ?? null,
          task.fallbackUsed ? 1 : 0,
          task.cpuMs ?? null,
          task.peakRssBytes ?? null,
          // A hit is known from the event; a miss only from the summary (#summaryRow).
          task.cached === true ? "hit" : null,
        );
        return;
      }
      default:
        return;
    }
  }

  #end(
    attempts: Set<AttemptRow>,
    runId: string,
    taskId: string,
    attempt: number,
    end: Pick<AttemptRow, "end" | "status" | "reason">,
  ): void {
    const key = attemptKey(runId, taskId, attempt);
    const row = this.#open.get(key);
    if (row === undefined) return;
    this.#open.delete(key);
    Object.assign(row, end);
    attempts.add(row);
  }

  /** History must never break a run: the first failure is reported, later writes are skipped. */
  #safe<T>(work: () => T): T | undefined {
    if (this.#broken) return undefined;
    try {
      return work();
    } catch (error) {
      this.#broken = true;
      this.#warn(`run history disabled: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/**
 * Opens (creating and migrating) `<dir>/history.db`. Anything that goes wrong — a read-only or
 * full disk, a missing native module — gives one warning and a store that remembers nothing.
 */
export async function openStore(options: OpenStoreOptions): Promise<SqliteStore | RunStore> {
  return connect(options, () => {
    makeParexDir(options.dir);
    return join(options.dir, "history.db");
  });
}

/**
 * The history, to read it: as {@link openStore}, but where there is none yet (no `history.db`,
 * no journal) an empty one in memory, so that reading creates nothing (`parex plan` in a fresh
 * checkout leaves it as it was).
 */
export async function readStore(options: OpenStoreOptions): Promise<SqliteStore | RunStore> {
  const exists = existsSync(join(options.dir, "history.db")) || existsSync(journalDir(options.dir));
  return exists ? openStore(options) : connect(options, () => ":memory:");
}

async function connect(
  options: OpenStoreOptions,
  file: () => string,
): Promise<SqliteStore | RunStore> {
  try {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(file(), { timeout: 5_000, ...nativeBinding() });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    migrate(db);
    const store = new SqliteStore(db, options);
    store.settle();
    return store;
  } catch (error) {
    options.warn(`run history disabled: ${(error as Error).message}`);
    return forgetfulStore;
  }
}

/**
 * Where better-sqlite3's compiled addon is, when it is where its build puts it: better-sqlite3
 * then loads it directly instead of through `bindings`, which probes a dozen paths (~2 ms), and
 * which cannot find it at all from the CLI's bundle (scripts/bundle-cli.mjs).
 */
function nativeBinding(): { nativeBinding?: string } {
  try {
    const addon = "better-sqlite3/build/Release/better_sqlite3.node";
    return { nativeBinding: createRequire(import.meta.url).resolve(addon) };
  } catch {
    return {};
  }
}

/** Brings a database up to the newest schema, each migration in its own transaction. */
export function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  migrations.slice(version).forEach((sql, i) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + i + 1}`);
    })();
  });
}

/** The store of a run without history. */
export const forgetfulStore: RunStore = {
  estimates: () => new Map(),
  spreads: () => new Map(),
  listener: () => undefined,
  saveGraph: () => undefined,
  saveSummary: () => undefined,
  close: () => undefined,
};

/**
 * node:zlib, loaded when a summary is first stored or read: every `parex run` loads this module,
 * and zlib took ~3 ms of its start.
 */
const zlib = () => createRequire(import.meta.url)("node:zlib") as typeof import("node:zlib");

/**
 * An attempt's row, kept from its start to its end (`#open`) and written by each batch that
 * changed it.
 */
interface AttemptRow {
  readonly run: string;
  readonly task: string;
  readonly attempt: number;
  readonly slot: number;
  readonly start: number;
  end: number | null;
  status: string;
  reason: string | null;
  pid: number | null;
}

/**
 * Whether an attempt started (or given its process group) by `events[from, to)` has not ended in
 * the events after it.
 */
function stillRunning(events: readonly RecordedEvent[], from: number, to: number): boolean {
  const ended = new Set<string>();
  for (let i = from; i < events.length; i++) {
    const event = events[i];
    if (event?.type === "task.retry-scheduled" || event?.type === "task.finished") {
      ended.add(attemptKey(event.runId, event.taskId, event.attempt));
    }
  }
  for (let i = from; i < to; i++) {
    const event = events[i];
    // A process event counts as a start: when a commit fell between an attempt's start and its
    // process group, the group is written by the next look but one, as the start would be.
    if (
      (event?.type === "task.started" || event?.type === "task.process") &&
      !ended.has(attemptKey(event.runId, event.taskId, event.attempt))
    ) {
      return true;
    }
  }
  return false;
}

/** An attempt's row in the attempt statement's column order. */
const attemptColumns = (row: AttemptRow) => [
  row.run,
  row.task,
  row.attempt,
  row.slot,
  row.start,
  row.end,
  row.status,
  row.reason,
  row.pid,
];

/** One attempt of one task of one run: `parex serve` records concurrent runs in one store. */
const attemptKey = (runId: string, taskId: string, attempt: number) =>
  `${runId}\0${attempt}\0${taskId}`;

interface StoredRun {
  id: string;
  started_at: number;
  finished_at: number | null;
  status: string;
  tasks: number;
  concurrency: number;
  /** JSON, as written by parex before 2026-11-26. */
  summary: string | null;
  /** JSON, deflated. */
  summary_deflated: Buffer | null;
  resumed_by: string | null;
}

function toRunRow(row: StoredRun): RunRow {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    status: row.status,
    tasks: row.tasks,
    concurrency: row.concurrency,
    summary: decodeSummary(row),
    resumedBy: row.resumed_by ?? undefined,
  };
}

/** A run's summary; one that cannot be read (damaged) is treated as none. */
function decodeSummary(row: StoredRun): unknown {
  try {
    if (row.summary_deflated !== null) {
      return JSON.parse(zlib().inflateRawSync(row.summary_deflated).toString()) as unknown;
    }
    return row.summary === null ? undefined : (JSON.parse(row.summary) as unknown);
  } catch {
    return undefined;
  }
}

/** The columns of a {@link StoredRun}: not its graph, read only when asked for. */
const runColumns =
  "id, started_at, finished_at, status, tasks, concurrency, summary, summary_deflated, resumed_by";

function prepare(db: Database.Database) {
  return {
    run: db.prepare(
      `INSERT OR IGNORE INTO runs (id, config, started_at, status, strategy, concurrency, tasks, runner_pid, runner_since)
       VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    ),
    resumedBy: db.prepare("UPDATE runs SET resumed_by = ? WHERE id = ?"),
    endRun: db.prepare("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?"),
    summary: db.prepare("UPDATE runs SET summary_deflated = ? WHERE id = ?"),
    attempt: db.prepare(
      `INSERT OR REPLACE INTO attempts (run_id, task_id, attempt, slot, started_at, finished_at, status, reason, pid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    task: db.prepare(
      `INSERT OR REPLACE INTO tasks (run_id, task_id, status, reason, attempts, duration_ms, exit_code, signal,
         group_name, fallback_used, cpu_ms, peak_rss_bytes, cache) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    taskCache: db.prepare("UPDATE tasks SET cache = ? WHERE run_id = ? AND task_id = ?"),
    learn: db.prepare(
      `INSERT INTO durations (config, task_id, estimate_ms, samples)
       SELECT @config, task_id, duration_ms, 1 FROM tasks
       WHERE run_id = @run AND status = 'succeeded' AND fallback_used = 0 AND duration_ms IS NOT NULL
         AND cache IS NOT 'hit'
       ON CONFLICT (config, task_id) DO UPDATE SET
         estimate_ms = @weight * excluded.estimate_ms + (1 - @weight) * estimate_ms, samples = samples + 1,
         log_var = (1 - @weight) * log_var + @weight * (2 - @weight) / 2 * pow(ln(max(excluded.estimate_ms, 1) / max(estimate_ms, 1)), 2)`,
    ),
    estimates: db.prepare("SELECT task_id, estimate_ms FROM durations WHERE config = ?"),
    spreads: db.prepare("SELECT task_id, log_var FROM durations WHERE config = ?"),
    durations: db.prepare(
      `SELECT t.task_id, t.duration_ms FROM tasks t JOIN runs r ON r.id = t.run_id
       WHERE r.config = ? AND t.status = 'succeeded' AND t.duration_ms IS NOT NULL AND t.fallback_used = 0
         AND t.cache IS NOT 'hit'
       ORDER BY r.started_at DESC LIMIT 20000`,
    ),
    recent: db.prepare(
      `SELECT ${runColumns} FROM runs WHERE config = ? ORDER BY started_at DESC LIMIT ?`,
    ),
    recentOf: db.prepare(
      `SELECT ${runColumns} FROM runs WHERE config = ? AND status = ? ORDER BY started_at DESC LIMIT ?`,
    ),
    graph: db.prepare("UPDATE runs SET graph = ? WHERE id = ?"),
    graphOf: db.prepare("SELECT graph FROM runs WHERE id = ?"),
    succeeded: db.prepare("SELECT task_id FROM tasks WHERE run_id = ? AND status = 'succeeded'"),
    unfinished: db.prepare(
      "SELECT task_id, pid FROM attempts WHERE run_id = ? AND finished_at IS NULL AND pid IS NOT NULL",
    ),
    finished: db.prepare(
      "SELECT 1 FROM runs WHERE id = ? AND finished_at IS NOT NULL AND status <> 'interrupted'",
    ),
    find: db.prepare(
      `SELECT ${runColumns} FROM runs WHERE id = ? OR id LIKE ? ORDER BY started_at DESC LIMIT 1`,
    ),
  };
}
