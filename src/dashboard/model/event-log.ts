import type { RunEvent } from "../../core/index.js";
import { duration } from "./format.js";

/** How a line of the event stream is marked. */
export type LineKind = "info" | "good" | "bad" | "warn";

/** One event of the stream, in words. */
export interface LogLine {
  /** Grows by one per line: a key for views. */
  readonly seq: number;
  /** ms from the run's start. */
  readonly ms: number;
  readonly kind: LineKind;
  readonly text: string;
}

const ids = (list: readonly string[]): string =>
  list.length <= 3 ? list.join(", ") : `${list.slice(0, 3).join(", ")} and ${list.length - 3} more`;

/** An event in words, or undefined for output (the log panel shows it). */
export function describeEvent(event: RunEvent): Omit<LogLine, "seq" | "ms"> | undefined {
  switch (event.type) {
    case "run.started":
      return {
        kind: "info",
        text: `run started: ${event.tasks.length} tasks on ${event.concurrency} slots (${event.strategy})`,
      };
    case "task.queued":
      return { kind: "info", text: `${event.taskId} queued` };
    case "task.started":
      return {
        kind: "info",
        text: `${event.taskId} started on slot ${event.slot}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`,
      };
    case "task.ready":
      return { kind: "good", text: `${event.taskId} ready (service)` };
    case "task.process":
      return { kind: "info", text: `${event.taskId}: process group ${event.pid}` };
    case "task.worker":
      return { kind: "info", text: `${event.taskId}: on worker ${event.worker}` };
    case "task.output":
      return undefined;
    case "task.retry-scheduled":
      return {
        kind: "warn",
        text: `${event.taskId} attempt ${event.attempt} failed (${event.reason}), retry in ${duration(event.delayMs)}`,
      };
    case "task.finished": {
      const { status, reason, fallbackUsed } = event.task;
      const why = reason === undefined ? "" : ` (${reason})`;
      const fallback = fallbackUsed ? ", by its fallback" : "";
      const kind = status === "succeeded" ? "good" : status === "failed" ? "bad" : "warn";
      return { kind, text: `${event.taskId} ${status}${why}${fallback}` };
    }
    case "tasks.finished": {
      const cause = event.dependency === undefined ? "" : ` (${event.dependency} did not succeed)`;
      return { kind: "warn", text: `${event.status}: ${ids(event.taskIds)}${cause}` };
    }
    case "task.strays-killed":
      return {
        kind: "warn",
        text: `${event.taskId}: stopped ${event.processes.length} process(es) it left running`,
      };
    case "breaker.changed":
      return {
        kind: event.to === "OPEN" ? "bad" : "info",
        text: `breaker ${event.key}: ${event.from} → ${event.to} (${event.taskId})`,
      };
    case "run.finished":
      return {
        kind: event.status === "succeeded" ? "good" : event.status === "partial" ? "warn" : "bad",
        text: `run ${event.status}`,
      };
    default:
      return event satisfies never;
  }
}

/** The latest `capacity` events in words, oldest first, in a ring (O(1) per event). */
export class EventLog {
  readonly #capacity: number;
  readonly #ring: LogLine[] = [];
  #seq = 0;

  /** `capacity`: lines kept. Default 500. */
  constructor(capacity = 500) {
    this.#capacity = capacity;
  }

  /** Adds an event; `origin` is the run's start in clock ms. */
  push(event: RunEvent, origin: number): void {
    const line = describeEvent(event);
    if (line === undefined) return;
    const entry = { ...line, seq: this.#seq, ms: event.time - origin };
    this.#ring[this.#seq % this.#capacity] = entry;
    this.#seq++;
  }

  /** Lines pushed so far, kept or not. */
  get total(): number {
    return this.#seq;
  }

  /** The kept lines, oldest first. */
  lines(): LogLine[] {
    if (this.#seq <= this.#capacity) return this.#ring.slice(0, this.#seq);
    const head = this.#seq % this.#capacity;
    return [...this.#ring.slice(head), ...this.#ring.slice(0, head)];
  }
}
