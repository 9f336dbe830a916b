import type { Clock } from "./clock.js";
import type { RunEvent } from "./events.js";
import type { AttemptResult, AttemptUsage } from "./executor.js";
import type { AttemptSpan, FailureReason, TaskRecord, TaskStatus } from "./outcome.js";
import type { TaskSpec } from "./task-spec.js";

type Failure = Extract<AttemptResult, { ok: false }>;

// Results objects have no prototype: a task named `__proto__` or `constructor` is a key like any
// other, and a missing one reads as undefined.
const noResults: Readonly<Record<string, unknown>> = Object.freeze(byId());

/** An empty object without a prototype, to hold values by task id. */
function byId(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** The spans of a task that never started: one shared empty list, not one per record. */
const noSpans: readonly AttemptSpan[] = Object.freeze([]);

/**
 * The one place a task's status changes: keeps each task's attempts, spans and result, and
 * announces each task's end as a `task.finished` event, or, for tasks that end together
 * without having started, one `tasks.finished` event for all of them.
 */
export class TaskRecorder {
  readonly #tasks: readonly TaskSpec[];
  readonly #runId: string;
  readonly #clock: Clock;
  readonly #emit: ((event: RunEvent) => void) | undefined;
  readonly #records: (TaskRecord | undefined)[];
  readonly #attempts: Int32Array;
  readonly #spans: AttemptSpan[][];
  readonly #values: unknown[];
  /** What failed tasks threw, by index: in process only, never in a record. */
  readonly #thrown = new Map<number, unknown>();
  readonly #usage: Mutable<AttemptUsage>[] = [];
  readonly #workers: (string | undefined)[] = [];
  #ended = 0;

  constructor(
    tasks: readonly TaskSpec[],
    runId: string,
    clock: Clock,
    emit: ((event: RunEvent) => void) | undefined,
  ) {
    this.#tasks = tasks;
    this.#runId = runId;
    this.#clock = clock;
    this.#emit = emit;
    this.#records = new Array<TaskRecord | undefined>(tasks.length);
    this.#attempts = new Int32Array(tasks.length);
    this.#spans = new Array<AttemptSpan[]>(tasks.length);
    this.#values = new Array<unknown>(tasks.length);
  }

  /** Whether every task has ended. */
  get allEnded(): boolean {
    return this.#ended === this.#tasks.length;
  }

  /** How many tasks have ended. */
  get ended(): number {
    return this.#ended;
  }

  /** Counts a new attempt of `task` and returns its number (1-based). */
  started(task: number): number {
    const attempt = (this.#attempts[task] ?? 0) + 1;
    this.#attempts[task] = attempt;
    return attempt;
  }

  /** Attempts started of `task` so far. */
  attempts(task: number): number {
    return this.#attempts[task] ?? 0;
  }

  /** Adds what an attempt cost: CPU and spawn time add up, memory keeps its peak. */
  usage(task: number, usage: AttemptUsage | undefined): void {
    if (usage === undefined) return;
    const total = (this.#usage[task] ??= {});
    if (usage.cpuMs !== undefined) total.cpuMs = (total.cpuMs ?? 0) + usage.cpuMs;
    if (usage.spawnMs !== undefined) total.spawnMs = (total.spawnMs ?? 0) + usage.spawnMs;
    if (usage.peakRssBytes !== undefined) {
      total.peakRssBytes = Math.max(total.peakRssBytes ?? 0, usage.peakRssBytes);
    }
  }

  /** Notes the distributed worker that took the task's latest attempt. */
  worker(task: number, id: string): void {
    this.#workers[task] = id;
  }

  /** Adds an attempt's time on its slot. */
  span(task: number, span: AttemptSpan): void {
    (this.#spans[task] ??= []).push(span);
  }

  /** Ends `task` as succeeded with the attempt's value. */
  succeeded(
    task: number,
    result: Extract<AttemptResult, { ok: true }>,
    fallbackUsed: boolean,
  ): void {
    this.#values[task] = result.value;
    const record = this.#make(task, "succeeded", undefined);
    record.fallbackUsed = fallbackUsed;
    if (result.exitCode !== undefined) record.exitCode = result.exitCode;
    if (result.cached === true) record.cached = true;
    this.#end(task, record);
  }

  /** Ends `task` as succeeded in an earlier run (resumed): it did not run this time. */
  reused(task: number, value: unknown): void {
    this.#values[task] = value;
    const record = this.#make(task, "succeeded", undefined);
    record.reused = true;
    this.#end(task, record);
  }

  /** Ends `task` as failed. */
  failed(task: number, failure: Failure): void {
    const record = this.#make(task, "failed", failure.reason);
    if (failure.exitCode !== undefined) record.exitCode = failure.exitCode;
    if (failure.signal !== undefined) record.signal = failure.signal;
    if (failure.error !== undefined) record.error = failure.error;
    if ("thrown" in failure && this.#records[task] === undefined) {
      this.#thrown.set(task, failure.thrown);
    }
    this.#end(task, record);
  }

  /** Ends tasks that will never start because `dependency` did not succeed. */
  skipped(tasks: readonly number[], dependency: number): void {
    this.#endTogether(tasks, "skipped", "dependency-failed", this.#tasks[dependency]?.id);
  }

  /** Ends tasks stopped, or never started, because the run was cancelled or failed fast. */
  cancelled(tasks: readonly number[]): void {
    this.#endTogether(tasks, "cancelled", "aborted", undefined);
  }

  /** The results of `dependencies`, by id: what a task's action receives. */
  resultsOf(dependencies: readonly number[]): Readonly<Record<string, unknown>> {
    if (dependencies.length === 0) return noResults;
    const results = byId();
    for (const dep of dependencies) results[this.#tasks[dep]?.id ?? ""] = this.#values[dep];
    return results;
  }

  /** The value of every task that succeeded, by id. */
  results(): Map<string, unknown> {
    const results = new Map<string, unknown>();
    this.#records.forEach((record, task) => {
      if (record?.status === "succeeded") results.set(record.id, this.#values[task]);
    });
    return results;
  }

  /** What each failed task's action threw or rejected with, by id (in-process executors only). */
  thrown(): Map<string, unknown> {
    const thrown = new Map<string, unknown>();
    for (const [task, value] of this.#thrown) thrown.set(this.#tasks[task]?.id ?? "", value);
    return thrown;
  }

  /** Every task's record, in declaration order. Call once every task has ended. */
  all(): TaskRecord[] {
    return this.#records.map((record, task) => record ?? this.#make(task, "cancelled", "aborted"));
  }

  /**
   * Ends `tasks` with one status. Those that had started end one by one (their records carry
   * attempts and spans); the others are announced together, in declaration order.
   */
  #endTogether(
    tasks: readonly number[],
    status: "skipped" | "cancelled",
    reason: "dependency-failed" | "aborted",
    dependency: string | undefined,
  ): void {
    const unstarted: number[] = [];
    for (const task of tasks) {
      if (this.#records[task] !== undefined) continue;
      if ((this.#attempts[task] ?? 0) > 0) this.#end(task, this.#make(task, status, reason));
      else unstarted.push(task);
    }
    if (unstarted.length === 0) return;
    // A halt lists tasks in order already; a cascade of skips does not.
    if (!ascending(unstarted)) unstarted.sort((a, b) => a - b);
    const taskIds = unstarted.map((task) => {
      const record = this.#make(task, status, reason);
      this.#records[task] = record;
      return record.id;
    });
    this.#ended += unstarted.length;
    this.#emit?.({
      type: "tasks.finished",
      runId: this.#runId,
      time: this.#clock.now(),
      taskIds,
      status,
      reason,
      ...(dependency === undefined ? {} : { dependency }),
    });
  }

  #end(task: number, record: TaskRecord): void {
    if (this.#records[task] !== undefined) return;
    this.#records[task] = record;
    this.#ended++;
    this.#emit?.({
      type: "task.finished",
      runId: this.#runId,
      time: this.#clock.now(),
      taskId: record.id,
      attempt: record.attempts,
      task: record,
    });
  }

  #make(task: number, status: TaskStatus, reason: FailureReason | undefined): Mutable<TaskRecord> {
    const spec = this.#tasks[task];
    const record: Mutable<TaskRecord> = {
      id: spec?.id ?? "",
      status,
      attempts: this.#attempts[task] ?? 0,
      spans: this.#spans[task] ?? noSpans,
      fallbackUsed: false,
      optional: spec?.optional === true,
    };
    if (reason !== undefined) record.reason = reason;
    if (spec?.group !== undefined) record.group = spec.group;
    const usage = this.#usage[task];
    if (usage?.cpuMs !== undefined) record.cpuMs = usage.cpuMs;
    if (usage?.peakRssBytes !== undefined) record.peakRssBytes = usage.peakRssBytes;
    if (usage?.spawnMs !== undefined) record.spawnMs = usage.spawnMs;
    const worker = this.#workers[task];
    if (worker !== undefined) record.worker = worker;
    return record;
  }
}

function ascending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i - 1] ?? 0) > (list[i] ?? 0)) return false;
  return true;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
