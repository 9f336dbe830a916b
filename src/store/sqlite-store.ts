import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { percentile } from "../core/index.js";
import type { RunEvent, RunStore, TaskRecord } from "../core/index.js";
import { migrations } from "./migrations.js";

/** How long events wait to be committed together, in ms. */
const flushMs = 25;

/** Weight of the newest duration in a task's estimate (an exponentially weighted mean). */
const newestWeight = 0.5;

/** A run as `parex history` lists it. */
export interface RunRow {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number | undefined;
  readonly status: string;
  readonly tasks: number;
  readonly concurrency: number;
  readonly summary: unknown;
}

/** Where the history lives and whom to tell when it cannot be written. */
export interface OpenStoreOptions {
  /** The `.parex` directory; created on first use. */
  readonly dir: string;
  /** Which config the runs belong to (durations are learned per config and task). */
  readonly config: string;
  /** Told, once, why history is not being written. */
  readonly warn: (message: string) => void;
}

/** The run history in `<dir>/history.db` (SQLite, WAL): runs, attempts, tasks, learned durations. */
export class SqliteStore implements RunStore {
  readonly #db: Database.Database;
  readonly #config: string;
  readonly #warn: (message: string) => void;
  readonly #statements: ReturnType<typeof prepare>;
  #broken = false;
  readonly #pending: RunEvent[] = [];

  constructor(db: Database.Database, options: Pick<OpenStoreOptions, "config" | "warn">) {
    this.#db = db;
    this.#config = options.config;
    this.#warn = options.warn;
    this.#statements = prepare(db);
  }

  estimates(): ReadonlyMap<string, number> {
    this.#flush();
    const rows = this.#safe(
      () =>
        this.#statements.estimates.all(this.#config) as { task_id: string; estimate_ms: number }[],
    );
    return new Map((rows ?? []).map((row) => [row.task_id, row.estimate_ms]));
  }

  /**
   * Events are committed together every `flushMs` (25 ms): a crash loses at most that much of
   * the record, and a busy run does not pay a commit per event.
   */
  readonly listener = (event: RunEvent): void => {
    if (this.#broken || event.type === "task.output") return;
    this.#pending.push(event);
    if (this.#pending.length === 1) setTimeout(this.#flush, flushMs).unref();
  };

  readonly #flush = (): void => {
    const events = this.#pending.splice(0);
    if (events.length === 0) return;
    this.#safe(() =>
      this.#db.transaction(() => {
        // An attempt that starts and ends within one batch (most short tasks) is written as
        // one row, not inserted and then updated twice.
        const fresh = new Map<string, AttemptRow>();
        for (const event of events) this.#record(event, fresh);
        for (const row of fresh.values()) this.#statements.attempt.run(row);
      })(),
    );
  };

  saveSummary(runId: string, summary: unknown): void {
    this.#flush();
    this.#safe(() => this.#statements.summary.run(JSON.stringify(summary), runId));
  }

  /**
   * Each task's p-th percentile duration over its last 50 successful runs of this config: the
   * "usual" time alerts compare a task with.
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

  /** The most recent runs of this config, newest first. */
  recent(limit: number): RunRow[] {
    this.#flush();
    const rows =
      this.#safe(() => this.#statements.recent.all(this.#config, limit) as StoredRun[]) ?? [];
    return rows.map(toRunRow);
  }

  /** One run by id (or a unique prefix of it). */
  find(id: string): RunRow | undefined {
    this.#flush();
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

  close(): void {
    this.#flush();
    this.#safe(() => this.#db.close());
  }

  #record(event: RunEvent, fresh: Map<string, AttemptRow>): void {
    const s = this.#statements;
    switch (event.type) {
      case "run.started":
        s.run.run(
          event.runId,
          this.#config,
          event.time,
          event.strategy,
          event.concurrency,
          event.tasks.length,
        );
        return;
      case "task.started":
        fresh.set(attemptKey(event.runId, event.taskId, event.attempt), {
          run: event.runId,
          task: event.taskId,
          attempt: event.attempt,
          slot: event.slot,
          start: event.time,
          end: null,
          status: "running",
          reason: null,
          pid: null,
        });
        return;
      case "task.process": {
        const row = fresh.get(attemptKey(event.runId, event.taskId, event.attempt));
        if (row !== undefined) row.pid = event.pid;
        else s.pid.run(event.pid, event.runId, event.taskId, event.attempt);
        return;
      }
      case "task.retry-scheduled":
        this.#endAttempt(fresh, event.runId, event.taskId, event.attempt, {
          end: event.time,
          status: "failed",
          reason: event.reason,
        });
        return;
      case "task.finished":
        this.#finished(event.runId, event.time, event.task, fresh);
        return;
      case "run.finished":
        s.endRun.run(event.time, event.status, event.runId);
        // Learned once per run, from its task rows: a duration upsert per task touched a page of
        // the durations table and one of its index in nearly every commit.
        s.learn.run({ config: this.#config, run: event.runId, weight: newestWeight });
        return;
      default:
        return;
    }
  }

  #endAttempt(
    fresh: Map<string, AttemptRow>,
    runId: string,
    taskId: string,
    attempt: number,
    end: Pick<AttemptRow, "end" | "status" | "reason">,
  ): void {
    const row = fresh.get(attemptKey(runId, taskId, attempt));
    if (row !== undefined) Object.assign(row, end);
    else this.#statements.endAttempt.run(end.end, end.status, end.reason, runId, taskId, attempt);
  }

  #finished(runId: string, time: number, task: TaskRecord, fresh: Map<string, AttemptRow>): void {
    const s = this.#statements;
    if (task.attempts > 0) {
      this.#endAttempt(fresh, runId, task.id, task.attempts, {
        end: time,
        status: task.status,
        reason: task.reason ?? null,
      });
    }
    const durationMs = task.spans.reduce((sum, span) => sum + span.end - span.start, 0);
    s.task.run(
      runId,
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
    );
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
  try {
    const { default: Sqlite } = await import("better-sqlite3");
    mkdirSync(options.dir, { recursive: true });
    const db = new Sqlite(join(options.dir, "history.db"), { timeout: 5_000 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    migrate(db);
    return new SqliteStore(db, options);
  } catch (error) {
    options.warn(`run history disabled: ${(error as Error).message}`);
    return forgetfulStore;
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
  listener: () => undefined,
  saveSummary: () => undefined,
  close: () => undefined,
};

/** An attempt's row, gathered from its events within one batch. */
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
  summary: string | null;
}

function toRunRow(row: StoredRun): RunRow {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    status: row.status,
    tasks: row.tasks,
    concurrency: row.concurrency,
    summary: row.summary === null ? undefined : (JSON.parse(row.summary) as unknown),
  };
}

function prepare(db: Database.Database) {
  return {
    run: db.prepare(
      "INSERT INTO runs (id, config, started_at, status, strategy, concurrency, tasks) VALUES (?, ?, ?, 'running', ?, ?, ?)",
    ),
    endRun: db.prepare("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?"),
    summary: db.prepare("UPDATE runs SET summary = ? WHERE id = ?"),
    attempt: db.prepare(
      `INSERT OR REPLACE INTO attempts (run_id, task_id, attempt, slot, started_at, finished_at, status, reason, pid)
       VALUES (@run, @task, @attempt, @slot, @start, @end, @status, @reason, @pid)`,
    ),
    endAttempt: db.prepare(
      "UPDATE attempts SET finished_at = ?, status = ?, reason = ? WHERE run_id = ? AND task_id = ? AND attempt = ?",
    ),
    task: db.prepare(
      `INSERT OR REPLACE INTO tasks (run_id, task_id, status, reason, attempts, duration_ms, exit_code, signal,
         group_name, fallback_used, cpu_ms, peak_rss_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    learn: db.prepare(
      `INSERT INTO durations (config, task_id, estimate_ms, samples)
       SELECT @config, task_id, duration_ms, 1 FROM tasks
       WHERE run_id = @run AND status = 'succeeded' AND fallback_used = 0 AND duration_ms IS NOT NULL
       ON CONFLICT (config, task_id) DO UPDATE SET
         estimate_ms = @weight * excluded.estimate_ms + (1 - @weight) * estimate_ms, samples = samples + 1`,
    ),
    estimates: db.prepare("SELECT task_id, estimate_ms FROM durations WHERE config = ?"),
    durations: db.prepare(
      `SELECT t.task_id, t.duration_ms FROM tasks t JOIN runs r ON r.id = t.run_id
       WHERE r.config = ? AND t.status = 'succeeded' AND t.duration_ms IS NOT NULL AND t.fallback_used = 0
       ORDER BY r.started_at DESC LIMIT 20000`,
    ),
    recent: db.prepare("SELECT * FROM runs WHERE config = ? ORDER BY started_at DESC LIMIT ?"),
    pid: db.prepare("UPDATE attempts SET pid = ? WHERE run_id = ? AND task_id = ? AND attempt = ?"),
    succeeded: db.prepare("SELECT task_id FROM tasks WHERE run_id = ? AND status = 'succeeded'"),
    unfinished: db.prepare(
      "SELECT task_id, pid FROM attempts WHERE run_id = ? AND finished_at IS NULL AND pid IS NOT NULL",
    ),
    find: db.prepare(
      "SELECT * FROM runs WHERE id = ? OR id LIKE ? ORDER BY started_at DESC LIMIT 1",
    ),
  };
}
