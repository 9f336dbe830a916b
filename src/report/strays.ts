import type { RunEvent } from "../core/index.js";

/**
 * The line that says what a task left behind and parex stopped:
 * `parex: killed 1 process left behind by task build: pid 1234 (sleep)`.
 */
export function straysLine(
  event: Pick<
    Extract<RunEvent, { type: "task.strays-killed" }>,
    "taskId" | "attempt" | "processes"
  >,
): string {
  const count = event.processes.length;
  const which = event.processes.map(({ pid, command }) => `pid ${pid} (${command})`).join(", ");
  const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : "";
  return `parex: killed ${count} process${count === 1 ? "" : "es"} left behind by task ${event.taskId}${attempt}: ${which}`;
}
