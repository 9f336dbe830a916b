import { failureInWords, OutcomeWords } from "../core/index.js";
import type { RunEvent, RunListener, TaskGraph, TaskRecord } from "../core/index.js";
import { duration, printable, someIds } from "./format.js";
import { GroupedOutput, StreamedLines } from "./task-output.js";
import type { OutputLimits } from "./task-output.js";
import { straysLine } from "./strays.js";

/** How task output is shown: prefixed live, grouped per task when it ends, or not at all. */
export type OutputMode = "stream" | "grouped" | "none";

/** Options of {@link lineReporter}. */
export interface LineReporterOptions extends OutputLimits {
  readonly output: OutputMode;
  /** Where lines go (stdout, or stderr under --json). */
  readonly write: (text: string) => void;
  /** Fold grouped output with GitHub Actions' ::group:: markers. Default false. */
  readonly githubActions?: boolean;
  /** The run's graph, so that a skipped task names its dependency. Default: none. */
  readonly graph?: TaskGraph;
}

/** A task's end in one line: `✖ lint failed after 12 ms: command not found: eslint`. */
export function taskEnd(task: TaskRecord, took: number | undefined, words: OutcomeWords): string {
  const mark = task.status === "succeeded" ? "✔" : task.status === "failed" ? "✖" : "○";
  const time =
    took === undefined ? "" : ` ${task.status === "succeeded" ? "" : "after "}${duration(took)}`;
  const why = words.of(task);
  const optional = task.optional && task.status !== "succeeded" ? " (optional)" : "";
  const cached = task.cached === true ? " (cached)" : "";
  return `${mark} ${printable(task.id)} ${task.status}${time}${why === undefined ? "" : `: ${printable(why)}`}${optional}${cached}`;
}

/** Tasks that ended together without starting, in one line: `○ c, d and 8 more skipped: a failed`. */
export function unstartedLine(
  event: Extract<RunEvent, { type: "tasks.finished" }>,
  words: OutcomeWords,
): string {
  return `○ ${printable(someIds(event.taskIds))} ${event.status}: ${printable(words.ofUnstarted(event))}`;
}

/** A retry in one line: `↻ test failed: exit code 1; attempt 2 in 200 ms`. */
export function retryLine(event: Extract<RunEvent, { type: "task.retry-scheduled" }>): string {
  const why = failureInWords({
    reason: event.reason,
    ...(event.error ? { error: event.error } : {}),
  });
  return `↻ ${printable(event.taskId)} failed: ${why}; attempt ${event.attempt + 1} in ${duration(event.delayMs)}`;
}

/**
 * Plain progress lines, one per task start, retry and end, with task output prefixed or
 * grouped: what a terminal without a TTY, or CI, shows.
 */
export function lineReporter(options: LineReporterOptions): RunListener {
  const { write, output } = options;
  const starts = new Map<string, number>();
  const words = new OutcomeWords(options.graph);
  let width = 0;
  let lines: string[] = [];
  const streamed = new StreamedLines(options, (id, line) =>
    lines.push(`${printable(id).padEnd(width)} │ ${line}\n`),
  );
  const grouped = new GroupedOutput(options);
  // Lines go out in one write per event: a chunk of 1,000 lines is one write, not 1,000.
  const flush = (): void => {
    if (lines.length > 0) write(lines.join(""));
    lines = [];
  };
  return (event: RunEvent) => {
    switch (event.type) {
      case "run.started":
        width = Math.min(24, Math.max(0, ...event.tasks.map((t) => printable(t).length)));
        return;
      case "task.started":
        starts.set(event.taskId, event.time);
        write(
          `▶ ${printable(event.taskId)}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}\n`,
        );
        return;
      case "task.output":
        if (output === "stream") streamed.push(event.taskId, event.chunk);
        else if (output === "grouped") grouped.push(event.taskId, event.chunk);
        flush();
        return;
      case "task.ready":
        write(`● ${printable(event.taskId)} ready\n`);
        return;
      case "task.worker":
        write(`↳ ${printable(event.taskId)} on ${printable(event.worker)}\n`);
        return;
      case "task.strays-killed":
        write(`${straysLine(event)}\n`);
        return;
      case "task.retry-scheduled":
        streamed.end(event.taskId);
        flush();
        write(`${retryLine(event)}\n`);
        return;
      case "tasks.finished":
        write(`${unstartedLine(event, words)}\n`);
        return;
      case "task.finished": {
        streamed.end(event.taskId);
        flush();
        const body = grouped.take(event.taskId);
        if (body.length > 0) {
          const text = body.map((line) => `${line}\n`).join("");
          write(
            options.githubActions === true
              ? `::group::${printable(event.taskId)}\n${text}::endgroup::\n`
              : `── ${printable(event.taskId)} ──\n${text}`,
          );
        }
        const started = starts.get(event.taskId);
        const took = started === undefined ? undefined : event.time - started;
        write(`${taskEnd(event.task, took, words)}\n`);
        return;
      }
      default:
        return;
    }
  };
}
