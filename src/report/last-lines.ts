import { TextTail } from "../core/index.js";
import type { RunEvent, RunListener, RunSummary } from "../core/index.js";

/** Options of {@link LastLines}. */
export interface LastLinesOptions {
  /** Lines kept per task. Default 5. */
  readonly lines?: number;
  /** Characters kept of each line; a longer line is cut with "…". Default 200. */
  readonly width?: number;
}

// An escape sequence (colours, cursor moves) or any other control character but a tab.
const controls = /\p{Cc}\[[\d;?]*[ -/]*[@-~]|[^\P{Cc}\t]/gu;

/** A line as a terminal would leave it: what follows its last carriage return, without escapes. */
function clean(line: string, width: number): string {
  const shown = line
    .slice(line.lastIndexOf("\r", line.length - 2) + 1)
    .replace(controls, "")
    .replaceAll("\t", "  ")
    .trimEnd();
  return shown.length > width ? `${shown.slice(0, width - 1)}…` : shown;
}

/**
 * Keeps the end of each task's latest attempt's output (whatever `--output` shows), so that a
 * failure can be shown with its last lines: in the closing summary, the JSON, the history and
 * the report.
 */
export class LastLines {
  readonly #tails = new Map<string, TextTail>();
  readonly #lines: number;
  readonly #width: number;
  /** Characters kept per task: enough for the lines kept, each at its full width. */
  readonly #limit: number;

  constructor(options: LastLinesOptions = {}) {
    this.#lines = options.lines ?? 5;
    this.#width = options.width ?? 200;
    this.#limit = (this.#lines + 1) * (this.#width + 1);
  }

  /** The RunListener to subscribe. */
  readonly listener: RunListener = (event: RunEvent) => {
    if (event.type === "task.started") this.#tails.get(event.taskId)?.clear();
    if (event.type !== "task.output") return;
    let tail = this.#tails.get(event.taskId);
    if (tail === undefined) {
      tail = new TextTail(this.#limit);
      this.#tails.set(event.taskId, tail);
    }
    tail.push(event.chunk);
  };

  /** The last lines of a task's output (none when it printed nothing). */
  of(taskId: string): string[] {
    const text = this.#tails.get(taskId)?.text() ?? "";
    const lines = text.split("\n").map((line) => clean(line, this.#width));
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    // The first line may have been cut by the tail; it is dropped when others follow.
    const whole = text.length >= this.#limit ? lines.slice(1) : lines;
    return (whole.length > 0 ? whole : lines).slice(-this.#lines);
  }

  /** The summary with the last lines of every task that failed. */
  attach(summary: RunSummary): RunSummary {
    return {
      ...summary,
      tasks: summary.tasks.map((task) => {
        if (task.status !== "failed") return task;
        const lastLines = this.of(task.id);
        return lastLines.length === 0 ? task : { ...task, lastLines };
      }),
    };
  }
}
