import { OutcomeWords } from "../core/index.js";
import type { RunEvent, TaskGraph } from "../core/index.js";
import { duration, printable } from "./format.js";
import { retryLine, taskEnd, unstartedLine } from "./line-reporter.js";
import type { OutputMode } from "./line-reporter.js";
import { GroupedOutput, StreamedLines } from "./task-output.js";
import type { OutputLimits } from "./task-output.js";
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
export interface LiveReporterOptions extends OutputLimits {
  readonly output: OutputMode;
  readonly write: (text: string) => void;
  readonly style: Style;
  /** Repaint period of the status area, in ms. Default 100. */
  readonly refreshMs?: number;
  /** The run's graph, so that a skipped task names its dependency. Default: none. */
  readonly graph?: TaskGraph;
  /** The time between events, for the repaints. Default `Date.now`. */
  readonly now?: () => number;
  /** Calls `tick` every `ms` until the returned stop is called. Default: an unref'd setInterval. */
  readonly every?: (ms: number, tick: () => void) => () => void;
}

const every = (ms: number, tick: () => void): (() => void) => {
  const timer = setInterval(tick, ms);
  // The status area must never keep the process alive on its own.
  timer.unref();
  return () => clearInterval(timer);
};

interface Running {
  readonly since: number;
  readonly attempt: number;
}

/**
 * The terminal view of a run on a TTY: task output scrolls above a status area that shows
 * the running tasks with their elapsed time, the counts of queued / running / done / failed
 * tasks, and an estimate of the time left, repainted every `refreshMs` so that it counts down
 * between events.
 */
export class LiveReporter {
  readonly #options: LiveReporterOptions;
  readonly #running = new Map<string, Running>();
  // The sum and count of succeeded tasks' durations: the ETA's mean, at O(1) per repaint.
  #succeededMs = 0;
  #succeeded = 0;
  readonly #words: OutcomeWords;
  readonly #streamed: StreamedLines;
  readonly #grouped: GroupedOutput;
  #above: string[] = [];
  #total = 0;
  #slots = 1;
  #done = 0;
  #failed = 0;
  #drawn = 0;
  #stopTimer: (() => void) | undefined;
  // After run.finished, a line (the run's last sweep) is printed without the status area.
  #ended = false;

  constructor(options: LiveReporterOptions) {
    this.#options = options;
    this.#words = new OutcomeWords(options.graph);
    this.#streamed = new StreamedLines(options, (id, line) =>
      this.#above.push(`${options.style.dim(`${printable(id)} │`)} ${line}`),
    );
    this.#grouped = new GroupedOutput(options);
  }

  /** The RunListener to subscribe. */
  readonly listener = (event: RunEvent): void => {
    const s = this.#options.style;
    const above = this.#above;
    switch (event.type) {
      case "run.started": {
        this.#total = event.tasks.length;
        this.#slots = event.concurrency;
        const now = this.#options.now ?? Date.now;
        this.#stopTimer = (this.#options.every ?? every)(this.#options.refreshMs ?? 100, () =>
          this.#paint(now()),
        );
        break;
      }
      case "task.started":
        this.#running.set(event.taskId, { since: event.time, attempt: event.attempt });
        break;
      case "task.ready":
        this.#running.delete(event.taskId);
        above.push(`${s.green("●")} ${printable(event.taskId)} ready`);
        break;
      case "task.strays-killed":
        above.push(s.yellow(straysLine(event)));
        this.#paint(event.time, !this.#ended);
        return;
      case "task.output":
        if (this.#options.output === "stream") this.#streamed.push(event.taskId, event.chunk);
        else if (this.#options.output === "grouped") this.#grouped.push(event.taskId, event.chunk);
        // A chunk that ends no line changes nothing on screen: the timer repaints the area.
        if (above.length === 0) return;
        break;
      case "task.retry-scheduled":
        this.#streamed.end(event.taskId);
        this.#running.delete(event.taskId);
        above.push(s.yellow(retryLine(event)));
        break;
      case "task.finished":
        this.#finished(event);
        break;
      case "tasks.finished":
        this.#done += event.taskIds.length;
        above.push(s.dim(unstartedLine(event, this.#words)));
        break;
      case "run.finished":
        this.#ended = true;
        this.#stopTimer?.();
        this.#paint(event.time, false);
        return;
      default:
        break;
    }
    this.#paint(event.time);
  };

  /** The status area at time `now`. */
  status(now: number): string[] {
    const s = this.#options.style;
    const queued = this.#total - this.#done - this.#failed - this.#running.size;
    const counts = `${s.bold(String(this.#running.size))} running · ${queued} queued · ${this.#done} done · ${this.#failed === 0 ? "0 failed" : s.red(`${this.#failed} failed`)}`;
    const eta = this.#eta(now, queued);
    const lines = [...this.#running].map(
      ([id, r]) =>
        `  ${s.yellow("▶")} ${printable(id)}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""} ${s.dim(duration(now - r.since))}`,
    );
    return [...lines, `${counts}${eta === undefined ? "" : ` · about ${duration(eta)} left`}`];
  }

  #finished(event: Extract<RunEvent, { type: "task.finished" }>): void {
    const s = this.#options.style;
    this.#streamed.end(event.taskId);
    const group = this.#grouped.take(event.taskId);
    if (group.length > 0) this.#above.push(s.dim(`── ${printable(event.taskId)} ──`), ...group);
    const started = this.#running.get(event.taskId)?.since;
    this.#running.delete(event.taskId);
    const { status } = event.task;
    if (status === "succeeded" && started !== undefined) {
      this.#succeededMs += event.time - started;
      this.#succeeded++;
    }
    if (status === "failed") this.#failed++;
    else this.#done++;
    const line = taskEnd(
      event.task,
      started === undefined ? undefined : event.time - started,
      this.#words,
    );
    const paint = status === "succeeded" ? s.green : status === "failed" ? s.red : s.dim;
    this.#above.push(`${paint(line.slice(0, 1))}${line.slice(1)}`);
  }

  /**
   * Time left: what the running tasks still need (each its mean duration less what it has
   * run) and the queued ones (a mean each), spread over the slots; never less than the longest
   * running task still needs. Undefined until a task has succeeded, or once nothing is left.
   */
  #eta(now: number, queued: number): number | undefined {
    if (this.#succeeded === 0) return undefined;
    const mean = this.#succeededMs / this.#succeeded;
    let longest = 0;
    let work = queued * mean;
    for (const task of this.#running.values()) {
      const rest = Math.max(0, mean - (now - task.since));
      work += rest;
      longest = Math.max(longest, rest);
    }
    const eta = Math.max(longest, work / this.#slots);
    return eta > 0 ? eta : undefined;
  }

  /** Erases the status area, prints the lines waiting above it, and draws it again (unless `area` is false). */
  #paint(now: number, area = true): void {
    const erase = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[0J` : "";
    const status = area ? this.status(now) : [];
    this.#drawn = status.length;
    const text = [...this.#above, ...status].map((line) => `${line}\n`).join("");
    this.#above = [];
    this.#options.write(erase + text);
  }
}
