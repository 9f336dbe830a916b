import type { RunSummary, TaskSummary } from "../core/index.js";
import { printable } from "./format.js";

/** How many tasks the section lists. */
export interface FailureLimits {
  /** Failed tasks shown with their last lines. Default 10. */
  readonly failed?: number;
  /** Skipped and cancelled tasks shown, one line each. Default 5. */
  readonly others?: number;
}

const why = (task: TaskSummary): string => printable(task.error ?? task.reason ?? task.status);

/**
 * The closing "failed" section of a run in which a task failed: each failed task with how it
 * failed in words and the last lines of its output, then the tasks that did not run because
 * of it. Empty when no task failed.
 */
export function renderFailures(summary: RunSummary, limits: FailureLimits = {}): string[] {
  const failed = summary.tasks.filter((t) => t.status === "failed");
  if (failed.length === 0) return [];
  const others = summary.tasks.filter((t) => t.status === "skipped" || t.status === "cancelled");
  const shownFailed = failed.slice(0, limits.failed ?? 10);
  const shownOthers = others.slice(0, limits.others ?? 5);
  const width = Math.min(
    24,
    Math.max(...[...shownFailed, ...shownOthers].map((t) => printable(t.id).length)),
  );
  const name = (task: TaskSummary): string => {
    const id = printable(task.id);
    return id.length > width ? `${id.slice(0, width - 1)}…` : id.padEnd(width);
  };
  const lines = ["failed:"];
  for (const task of shownFailed) {
    lines.push(`  ✖ ${name(task)}  ${why(task)}`);
    for (const line of task.lastLines ?? []) lines.push(`    ${" ".repeat(width)}│ ${line}`);
  }
  if (failed.length > shownFailed.length)
    lines.push(`  … and ${failed.length - shownFailed.length} more failed`);
  for (const task of shownOthers) lines.push(`  ○ ${name(task)}  ${task.status}: ${why(task)}`);
  if (others.length > shownOthers.length)
    lines.push(`  … and ${others.length - shownOthers.length} more skipped or cancelled`);
  return lines;
}
