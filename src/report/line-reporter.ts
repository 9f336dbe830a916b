import type { RunEvent, RunListener } from "../core/index.js";
import { duration } from "./format.js";
import { straysLine } from "./strays.js";

/** How task output is shown: prefixed live, grouped per task when it ends, or not at all. */
export type OutputMode = "stream" | "grouped" | "none";

/** Options of {@link lineReporter}. */
export interface LineReporterOptions {
  readonly output: OutputMode;
  /** Where lines go (stdout, or stderr under --json). */
  readonly write: (text: string) => void;
  /** Bytes of a task's output kept for grouped mode; the log file has all of it. Default 1 MiB. */
  readonly groupLimit?: number;
  /** Fold grouped output with GitHub Actions' ::group:: markers. Default false. */
  readonly githubActions?: boolean;
}

/**
 * Plain progress lines, one per task start, retry and end, with task output prefixed or
 * grouped: what a terminal without a TTY, or CI, shows.
 */
export function lineReporter(options: LineReporterOptions): RunListener {
  const { write, output } = options;
  const limit = options.groupLimit ?? 1 << 20;
  const starts = new Map<string, number>();
  const width = { value: 0 };
  const partial = new Map<string, string>();
  const groups = new Map<string, string[]>();
  const prefix = (id: string): string => `${id.padEnd(width.value)} │ `;
  return (event: RunEvent) => {
    switch (event.type) {
      case "run.started":
        width.value = Math.min(24, Math.max(0, ...event.tasks.map((t) => t.length)));
        return;
      case "task.started":
        starts.set(event.taskId, event.time);
        write(`▶ ${event.taskId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}\n`);
        return;
      case "task.output":
        if (output === "stream") {
          const text = (partial.get(event.taskId) ?? "") + event.chunk;
          const lines = text.split("\n");
          partial.set(event.taskId, lines.pop() ?? "");
          for (const line of lines) write(`${prefix(event.taskId)}${line}\n`);
        } else if (output === "grouped") {
          const kept = groups.get(event.taskId) ?? [];
          if (kept.reduce((n, c) => n + c.length, 0) < limit) kept.push(event.chunk);
          groups.set(event.taskId, kept);
        }
        return;
      case "task.ready":
        write(`● ${event.taskId} ready\n`);
        return;
      case "task.strays-killed":
        write(`${straysLine(event)}\n`);
        return;
      case "task.retry-scheduled":
        write(
          `↻ ${event.taskId} failed (${event.reason}); attempt ${event.attempt + 1} in ${duration(event.delayMs)}\n`,
        );
        return;
      case "task.finished": {
        const rest = partial.get(event.taskId);
        if (rest) write(`${prefix(event.taskId)}${rest}\n`);
        partial.delete(event.taskId);
        const group = groups.get(event.taskId);
        if (group && group.length > 0) {
          const body = group.join("").replace(/\n?$/, "\n");
          write(
            options.githubActions === true
              ? `::group::${event.taskId}\n${body}::endgroup::\n`
              : `── ${event.taskId} ──\n${body}`,
          );
        }
        groups.delete(event.taskId);
        const { task } = event;
        const started = starts.get(event.taskId);
        const took = started === undefined ? "" : ` ${duration(event.time - started)}`;
        const mark = task.status === "succeeded" ? "✔" : task.status === "failed" ? "✖" : "○";
        const why =
          task.reason === undefined
            ? ""
            : ` (${task.reason}${task.exitCode === undefined ? "" : ` ${task.exitCode}`})`;
        write(`${mark} ${event.taskId} ${task.status}${why}${took}\n`);
        return;
      }
      default:
        return;
    }
  };
}
