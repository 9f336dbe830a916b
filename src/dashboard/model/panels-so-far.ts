import { busyMatrix } from "../../core/index.js";
import type { BusyTask, TaskSummary } from "../../core/index.js";
import type { PanelRun } from "./panels.js";
import { hasEnded } from "./task-table.js";
import type { TaskRow, TaskTable } from "./task-table.js";

/** Seed 001's panels' figures of a run still going: over the tasks that ended so far. */
export interface SoFar extends PanelRun {
  /**
   * Slot time used so far, in ms: the ended tasks' attempts (not those the cache restored), the
   * running attempts' age, and the failed attempts of tasks being tried again.
   */
  readonly busyMs: number;
  /** Tasks running now. */
  readonly running: number;
}

/**
 * The panels' figures `nowMs` into a live run (ms since it started): every task that ended, as
 * the summary will list it; their time one at a time, a task the cache restored counting none
 * (as core/analysis.ts counts it); the slot (or worker) × group matrix of their attempts; and
 * the slots' busy time, the running attempts and the failed attempts of tasks not ended yet
 * included. The run so far stands in for the summary: `makespanMs` is the time so far.
 */
export function panelsSoFar(table: TaskTable, nowMs: number): SoFar {
  const tasks: TaskSummary[] = [];
  const ran: BusyTask[] = [];
  let sequentialMs = 0;
  let unendedMs = 0;
  let running = 0;
  for (const row of table.rows) {
    if (!hasEnded(row.status)) {
      unendedMs += row.retriedMs ?? 0;
      if (row.status === "running" && row.attemptStartMs !== undefined) {
        running++;
        unendedMs += Math.max(0, nowMs - row.attemptStartMs);
      }
      continue;
    }
    const task = taskOf(row);
    tasks.push(task);
    const { startMs, endMs, durationMs } = task;
    if (startMs === undefined || endMs === undefined || durationMs === undefined) continue; // never ran here
    if (row.cached !== true) sequentialMs += durationMs;
    ran.push({
      ...(row.group === undefined ? {} : { group: row.group }),
      ...(row.worker === undefined ? {} : { worker: row.worker }),
      spans: row.spans ?? [{ slot: row.slot ?? 0, start: startMs, end: endMs }],
    });
  }
  return {
    tasks,
    concurrency: table.concurrency,
    makespanMs: nowMs,
    sequentialMs,
    busyMs: sequentialMs + unendedMs,
    running,
    ...busyMatrix(ran, table.concurrency),
  };
}

/** An ended task's row as the summary lists the task. */
function taskOf(row: TaskRow): TaskSummary {
  const { startMs, endMs } = row;
  const ran = startMs !== undefined && endMs !== undefined;
  return {
    id: row.id,
    status: row.status as TaskSummary["status"],
    attempts: row.attempts,
    fallbackUsed: row.fallbackUsed,
    ...(ran ? { startMs, endMs, durationMs: row.durationMs ?? endMs - startMs } : {}),
    ...(row.slot === undefined ? {} : { slot: row.slot }),
    ...(row.group === undefined ? {} : { group: row.group }),
    ...(row.worker === undefined ? {} : { worker: row.worker }),
    ...(row.cpuMs === undefined ? {} : { cpuMs: row.cpuMs }),
    ...(row.peakRssBytes === undefined ? {} : { peakRssBytes: row.peakRssBytes }),
    ...(row.spawnMs === undefined ? {} : { spawnMs: row.spawnMs }),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  };
}
