import type { Redis } from "ioredis";
import type { QueueNames } from "./names.js";

/** A worker as its heartbeat describes it. */
export interface WorkerInfo {
  /** `host/pid`. */
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** How many tasks it runs at once. */
  readonly slots: number;
  /** How many it was running at its last heartbeat. */
  readonly running: number;
  /** Its last heartbeat, ms since the epoch. */
  readonly at: number;
}

/** The workers whose heartbeat has not expired, by id. */
export async function listWorkers(redis: Redis, names: QueueNames): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", names.workers, "COUNT", 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((value) => {
      try {
        return value === null ? [] : [JSON.parse(value) as WorkerInfo];
      } catch {
        return [];
      }
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
