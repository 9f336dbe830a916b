import type { RunEvent } from "../core/index.js";
import { duration } from "./format.js";
import type { OutputMode } from "./line-reporter.js";
import { straysLine } from "./strays.js";

/** ANSI styling, or none (NO_COLOR, or not a terminal). */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

/** Colours for a terminal; `plain` when NO_COLOR is set or the output is not a TTY. */
export const colors: Style = {
  bold: ansi(1),
  dim: ansi(2),
  green: ansi(32),
  red: ansi(31),
  yellow: ansi(33),
};
export const plain: Style = {
  bold: String,
  dim: String,
  green: String,
  red: String,
  yellow: String,
};

/** Options of {@link LiveReporter}. */
export interface LiveReporterOptions {
  readonly output: OutputMode;
  readonly write: (text: string) => void;
  readonly style: Style;
  /** Repaint period of the status area, in ms. Default 100. */
  readonly refreshMs?: number;
}

interface Running {
  readonly since: number;
  readonly attempt: number;
}

/**
 * The terminal view of a run on a TTY: task output scrolls above a status area that shows
 * the running tasks with their elapsed time, the counts of queued / running / done / failed
 * tasks, and an estimate of the time left.
 */
export class LiveReporter {
  readonly #options: LiveReporterOptions;
  readonly #running = new Map<string, Running>();
  readonly #partial = new Map<string, string>();
  readonly #durations: number[] = [];
  #total = 0;
  #slots = 1;
  #done = 0;
  #failed = 0;
  #drawn = 0;
  #finished = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: LiveReporterOptions) {
    this.#options = options;
  }

  /** The RunListener to subscribe. */
  readonly listener = (event: RunEvent): void => {
    const s = this.#options.style;
    const above: string[] = [];
    switch (event.type) {
      case "run.started":
        this.#total = event.tasks.length;
        this.#slots = event.concurrency;
        this.#timer = setInterval(
          () => this.#paint([], Date.now()),
          this.#options.refreshMs ?? 100,
        );
        this.#timer.unref();
        break;
      case "task.started":
        this.#running.set(event.taskId, { since: event.time, attempt: event.attempt });
        break;
      case "task.ready":
        this.#running.delete(event.taskId);
        above.push(`${s.green("●")} ${event.taskId} ready`);
        break;
      case "task.strays-killed":
        // Also after the run's end (its last sweep): then without the status area again.
        this.#paint([s.yellow(straysLine(event))], event.time, !this.#finished);
        return;
      case "task.output":
        if (this.#options.output === "stream")
          above.push(...this.#lines(event.taskId, event.chunk));
        break;
      case "task.retry-scheduled":
        this.#running.delete(event.taskId);
        above.push(
          `${s.yellow("↻")} ${event.taskId} failed (${event.reason}), retrying in ${duration(event.delayMs)}`,
        );
        break;
      case "task.finished": {
        const rest = this.#partial.get(event.taskId);
        if (rest) above.push(`${s.dim(`${event.taskId} │`)} ${rest}`);
        this.#partial.delete(event.taskId);
        const started = this.#running.get(event.taskId)?.since;
        this.#running.delete(event.taskId);
        const took = started === undefined ? "" : ` ${s.dim(duration(event.time - started))}`;
        const { status, reason } = event.task;
        if (status === "succeeded" && started !== undefined)
          this.#durations.push(event.time - started);
        if (status === "failed") this.#failed++;
        else this.#done++;
        const mark =
          status === "succeeded" ? s.green("✔") : status === "failed" ? s.red("✖") : s.dim("○");
        above.push(`${mark} ${event.taskId}${reason === undefined ? "" : ` ${reason}`}${took}`);
        break;
      }
      case "run.finished":
        this.#finished = true;
        if (this.#timer !== undefined) clearInterval(this.#timer);
        this.#paint([], event.time, false);
        return;
      default:
        break;
    }
    this.#paint(above, event.time);
  };

  /** The status area at time `now`. */
  status(now: number): string[] {
    const s = this.#options.style;
    const queued = this.#total - this.#done - this.#failed - this.#running.size;
    const counts = `${s.bold(String(this.#running.size))} running · ${queued} queued · ${this.#done} done · ${this.#failed === 0 ? "0 failed" : s.red(`${this.#failed} failed`)}`;
    const eta = this.#eta(queued);
    const lines = [...this.#running].map(
      ([id, r]) =>
        `  ${s.yellow("▶")} ${id}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""} ${s.dim(duration(now - r.since))}`,
    );
    return [...lines, `${counts}${eta === undefined ? "" : ` · about ${duration(eta)} left`}`];
  }

  #eta(queued: number): number | undefined {
    if (this.#durations.length === 0) return undefined;
    const mean = this.#durations.reduce((a, b) => a + b, 0) / this.#durations.length;
    return ((queued + this.#running.size) * mean) / this.#slots;
  }

  #lines(taskId: string, chunk: string): string[] {
    const parts = ((this.#partial.get(taskId) ?? "") + chunk).split("\n");
    this.#partial.set(taskId, parts.pop() ?? "");
    return parts.map((line) => `${this.#options.style.dim(`${taskId} │`)} ${line}`);
  }

  /** Erases the status area, prints the new lines above it, and draws it again (unless `area` is false). */
  #paint(above: readonly string[], now: number, area = true): void {
    const erase = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[0J` : "";
    const status = area ? this.status(now) : [];
    this.#drawn = status.length;
    const text = [...above, ...status].map((line) => `${line}\n`).join("");
    this.#options.write(erase + text);
  }
}
