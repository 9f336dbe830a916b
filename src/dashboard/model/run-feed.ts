import type { RunEvent, RunEventType } from "../../core/index.js";
import { EventLog } from "./event-log.js";
import { OutputTails } from "./output-tails.js";
import { TaskTable } from "./task-table.js";

const eventTypes: Record<RunEventType, true> = {
  "run.started": true,
  "task.queued": true,
  "task.started": true,
  "task.ready": true,
  "task.process": true,
  "task.worker": true,
  "task.output": true,
  "task.retry-scheduled": true,
  "task.finished": true,
  "tasks.finished": true,
  "task.strays-killed": true,
  "breaker.changed": true,
  "run.finished": true,
};

/** Every RunEvent type: the SSE event names to listen to. */
export const runEventTypes = Object.keys(eventTypes) as RunEventType[];

/**
 * Everything a run view shows of a live run's events: the task table, the running tasks'
 * output and the event stream in words. Pure: the browser feeds it batches of events.
 */
export class RunFeed {
  readonly table: TaskTable;
  readonly tails = new OutputTails();
  readonly log = new EventLog();
  #missed = 0;

  /** `table`: the run's tasks as known before its first event (default: none). */
  constructor(table: TaskTable = new TaskTable()) {
    this.table = table;
  }

  /** Events the server had dropped before they could be sent (an SSE `gap`). */
  get missed(): number {
    return this.#missed;
  }

  /** Notes a gap: `count` events were lost, so the table may lag until the run's summary. */
  gap(count: number): void {
    this.#missed += count;
  }

  apply(events: readonly RunEvent[]): void {
    for (const event of events) {
      this.table.apply(event);
      if (event.type === "task.output") this.tails.push(event.taskId, event.attempt, event.chunk);
      else if (event.type === "task.finished") this.tails.drop(event.taskId);
      this.log.push(event, this.table.origin ?? event.time);
    }
  }
}
