import type {
  FailureReason,
  RunEvent,
  RunStatus,
  RunSummary,
  TaskRecord,
} from "../../core/index.js";
import { lanesOfFinished, WorkerLanes } from "./worker-lanes.js";

/**
 * A task's state as the dashboard shows it:
 * - `waiting`: a task it depends on has not succeeded yet;
 * - `queued`: ready, waiting for a free slot;
 * - `running`: an attempt is running;
 * - `retrying`: an attempt failed, the next waits for its backoff delay;
 * - then how it ended (`succeeded`, `failed`, `skipped`, `cancelled`).
 */
export type LiveStatus =
  "waiting" | "queued" | "running" | "retrying" | "succeeded" | "failed" | "skipped" | "cancelled";

/** Every status, in the order the counters show them. */
export const liveStatuses: readonly LiveStatus[] = [
  "waiting",
  "queued",
  "running",
  "retrying",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
];

/** Whether a task in this status has ended. */
export const hasEnded = (status: LiveStatus): boolean =>
  status === "succeeded" || status === "failed" || status === "skipped" || status === "cancelled";

/** One task of a run; times in ms from the run's start. */
export interface TaskRow {
  readonly id: string;
  readonly status: LiveStatus;
  /** The slot of its last attempt. */
  readonly slot?: number;
  /** When its first attempt started. */
  readonly startMs?: number;
  /** When its last attempt ended. */
  readonly endMs?: number;
  /** When its current (or last) attempt started: what a running attempt's age is counted from. */
  readonly attemptStartMs?: number;
  readonly attempts: number;
  /** Attempts that failed and were tried again. */
  readonly retries: number;
  readonly fallbackUsed: boolean;
  /** Its attempts' time in all, once it ended (the summary's `durationMs`). */
  readonly durationMs?: number;
  /** Each attempt on its slot (clock ms), once it ended live (a summary has its matrix instead). */
  readonly spans?: TaskRecord["spans"];
  /** The time of its attempts that failed and were tried again, while it has not ended. */
  readonly retriedMs?: number;
  /** Restored by the task cache: its action did not run. */
  readonly cached?: true;
  readonly cpuMs?: number;
  readonly peakRssBytes?: number;
  /** Time to start its processes, over its attempts. */
  readonly spawnMs?: number;
  readonly group?: string;
  /** The distributed worker of its last attempt, `host/pid`. */
  readonly worker?: string;
  /** Its Gantt lane in a distributed run (by worker, {@link WorkerLanes}); else its slot is. */
  readonly lane?: number;
  readonly reason?: FailureReason;
  /** How it failed, in words, when it did not succeed. */
  readonly error?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A run's tasks, folded from its events one at a time (O(1) per event, O(k) for an event that
 * ends k tasks), or read whole from a finished run's summary. Rows are replaced, never changed
 * in place, so a view can tell a changed row by its identity.
 */
export class TaskTable {
  readonly #rows: TaskRow[] = [];
  readonly #index = new Map<string, number>();
  readonly #counts = new Map<LiveStatus, number>(liveStatuses.map((s) => [s, 0]));
  #origin: number | undefined;
  #concurrency = 1;
  #lastMs = 0;
  #runStatus: RunStatus | undefined;
  #version = 0;
  readonly #lanes = new WorkerLanes();
  /** A finished distributed run's lanes, from its summary. */
  #laneNames: readonly string[] | undefined;

  /** `ids`: the run's tasks in declaration order, all waiting. */
  constructor(ids: readonly string[] = []) {
    for (const id of ids) this.#row(id);
  }

  /** A finished run's table, from its JSON summary. */
  static fromSummary(summary: RunSummary): TaskTable {
    const table = new TaskTable();
    table.#origin = Date.parse(summary.startedAt);
    table.#concurrency = summary.concurrency;
    table.#lastMs = summary.makespanMs;
    table.#runStatus = summary.status;
    for (const task of summary.tasks) {
      const row: Mutable<TaskRow> = {
        id: task.id,
        status: task.status,
        attempts: task.attempts,
        retries: Math.max(0, task.attempts - 1),
        fallbackUsed: task.fallbackUsed,
      };
      if (task.slot !== undefined) row.slot = task.slot;
      if (task.startMs !== undefined) row.startMs = row.attemptStartMs = task.startMs;
      if (task.endMs !== undefined) row.endMs = task.endMs;
      if (task.durationMs !== undefined) row.durationMs = task.durationMs;
      if (task.cpuMs !== undefined) row.cpuMs = task.cpuMs;
      if (task.peakRssBytes !== undefined) row.peakRssBytes = task.peakRssBytes;
      if (task.spawnMs !== undefined) row.spawnMs = task.spawnMs;
      if (task.cache === "hit") row.cached = true;
      if (task.group !== undefined) row.group = task.group;
      if (task.worker !== undefined) row.worker = task.worker;
      if (task.reason !== undefined) row.reason = task.reason;
      if (task.error !== undefined) row.error = task.error;
      table.#set(table.#row(task.id), row);
    }
    const { laneOf, names } = lanesOfFinished(summary.tasks);
    if (names.length > 0) {
      table.#laneNames = names;
      for (const [id, lane] of laneOf) table.#update(id, (row) => (row.lane = lane));
    }
    return table;
  }

  /** The rows, in declaration order (tasks first seen in an event last). */
  get rows(): readonly TaskRow[] {
    return this.#rows;
  }

  /** Grows by one with every change: a view re-renders when it differs from what it drew. */
  get version(): number {
    return this.#version;
  }

  /** Clock ms of the run's start, once known. */
  get origin(): number | undefined {
    return this.#origin;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  /** The Gantt lanes' names of a distributed run (by worker); empty for a local run (by slot). */
  get laneNames(): readonly string[] {
    return this.#laneNames ?? this.#lanes.names;
  }

  /** The latest event's time, in ms from the start; the makespan once the run has finished. */
  get lastMs(): number {
    return this.#lastMs;
  }

  /** How the run ended; undefined while it runs. */
  get runStatus(): RunStatus | undefined {
    return this.#runStatus;
  }

  /** How many tasks are in `status`. */
  count(status: LiveStatus): number {
    return this.#counts.get(status) ?? 0;
  }

  get(id: string): TaskRow | undefined {
    const i = this.#index.get(id);
    return i === undefined ? undefined : this.#rows[i];
  }

  /** Folds one event in; returns whether anything changed. */
  apply(event: RunEvent): boolean {
    this.#origin ??= event.time;
    const at = event.time - this.#origin;
    if (at > this.#lastMs) this.#lastMs = at;
    switch (event.type) {
      case "run.started":
        this.#origin = event.time;
        this.#concurrency = event.concurrency;
        for (const id of event.tasks) this.#row(id);
        break;
      case "task.queued":
        return this.#update(event.taskId, (row) => (row.status = "queued"));
      case "task.started":
        return this.#update(event.taskId, (row) => {
          row.status = "running";
          row.slot = event.slot;
          row.attempts = event.attempt;
          row.startMs ??= at;
          row.attemptStartMs = at;
          delete row.endMs;
        });
      case "task.worker":
        return this.#update(event.taskId, (row) => {
          row.worker = event.worker;
          row.lane = this.#lanes.place(event.worker, event.taskId, (occupant) => {
            const other = this.get(occupant);
            return other?.endMs !== undefined && other.status !== "running";
          });
        });
      case "task.retry-scheduled":
        return this.#update(event.taskId, (row) => {
          row.status = "retrying";
          row.retries += 1;
          row.endMs = at;
          row.retriedMs = (row.retriedMs ?? 0) + at - (row.attemptStartMs ?? at);
        });
      case "task.finished":
        return this.#update(event.taskId, (row) => this.#finished(row, event.task, at));
      case "tasks.finished":
        for (const id of event.taskIds) {
          this.#update(id, (row) => {
            row.status = event.status;
            row.reason = event.reason;
          });
        }
        return event.taskIds.length > 0;
      case "run.finished":
        this.#runStatus = event.status;
        break;
      default:
        return false;
    }
    this.#version++;
    return true;
  }

  #finished(row: Mutable<TaskRow>, record: TaskRecord, at: number): void {
    const origin = this.#origin ?? 0;
    row.status = record.status;
    row.attempts = record.attempts;
    row.fallbackUsed = record.fallbackUsed;
    const first = record.spans[0];
    const last = record.spans.at(-1);
    if (first !== undefined && last !== undefined) {
      row.startMs = first.start - origin;
      row.attemptStartMs = last.start - origin;
      row.endMs = last.end - origin;
      row.slot = last.slot;
      row.spans = record.spans;
      row.durationMs = record.spans.reduce((sum, span) => sum + span.end - span.start, 0);
    } else if (row.startMs !== undefined) {
      row.endMs = at;
    }
    if (record.cpuMs !== undefined) row.cpuMs = record.cpuMs;
    if (record.peakRssBytes !== undefined) row.peakRssBytes = record.peakRssBytes;
    if (record.spawnMs !== undefined) row.spawnMs = record.spawnMs;
    if (record.cached === true) row.cached = true;
    delete row.retriedMs; // its spans have every attempt's time
    if (record.group !== undefined) row.group = record.group;
    if (record.worker !== undefined) row.worker = record.worker;
    if (record.reason !== undefined) row.reason = record.reason;
    if (record.error !== undefined) row.error = record.error.message;
  }

  /** Replaces a task's row by a changed copy; a task not seen before gets a row first. */
  #update(id: string, change: (row: Mutable<TaskRow>) => void): true {
    const i = this.#row(id);
    const row: Mutable<TaskRow> = { ...(this.#rows[i] as TaskRow) };
    change(row);
    this.#set(i, row);
    return true;
  }

  #set(i: number, row: TaskRow): void {
    const before = this.#rows[i];
    if (before !== undefined) this.#counts.set(before.status, this.count(before.status) - 1);
    this.#counts.set(row.status, this.count(row.status) + 1);
    this.#rows[i] = row;
    this.#version++;
  }

  /** The index of a task's row, added (waiting) when it has none. */
  #row(id: string): number {
    const known = this.#index.get(id);
    if (known !== undefined) return known;
    const i = this.#rows.length;
    this.#index.set(id, i);
    this.#rows.push({ id, status: "waiting", attempts: 0, retries: 0, fallbackUsed: false });
    this.#counts.set("waiting", this.count("waiting") + 1);
    return i;
  }
}
