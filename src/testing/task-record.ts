import type { TaskRecord } from "../core/index.js";

/** A task's record after one successful attempt on slot 0, from `start` to `end` (ms). */
export const taskRecord = (
  id: string,
  start: number,
  end: number,
  extra: Partial<TaskRecord> = {},
): TaskRecord => ({
  id,
  status: "succeeded",
  attempts: 1,
  spans: [{ attempt: 1, slot: 0, start, end }],
  fallbackUsed: false,
  optional: false,
  ...extra,
});
