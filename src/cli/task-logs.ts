import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TaskSummary } from "../core/index.js";
import { logFileName } from "../exec/index.js";
import { table } from "../report/index.js";

/** A run's log directory beside its config file. */
export const runLogDir = (configDir: string, runId: string): string =>
  join(configDir, ".parex", "logs", runId);

/**
 * The log files each task of a run left, by task id (attempts in order): a file name is not the
 * task id itself when the id is not safe as one (`a#b` is `a_b~8187fc8f.1.log`), so `parex
 * history RUN` says which is whose. A task that printed nothing has none.
 */
export function taskLogs(
  dir: string,
  tasks: readonly Pick<TaskSummary, "id" | "attempts">[],
): Map<string, string[]> {
  const logs = new Map<string, string[]>();
  for (const task of tasks) {
    const files = Array.from({ length: task.attempts }, (_, i) =>
      join(dir, logFileName(task.id, i + 1)),
    ).filter((file) => existsSync(file));
    if (files.length > 0) logs.set(task.id, files);
  }
  return logs;
}

/** The `logs:` lines of `parex history RUN`: the directory, then each task's files. */
export function renderTaskLogs(dir: string, logs: ReadonlyMap<string, readonly string[]>): string {
  if (logs.size === 0) return "";
  const rows = [...logs].map(([id, files]) => [
    id,
    files.map((file) => file.slice(dir.length + 1)).join(", "),
  ]);
  return [`  logs: ${dir}`, ...table(rows).map((line) => `    ${line}`)].join("\n");
}
