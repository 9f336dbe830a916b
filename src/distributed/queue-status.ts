import { connectRedis } from "./connection.js";
import { queueNames } from "./names.js";
import { listWorkers } from "./registry.js";
import type { WorkerInfo } from "./registry.js";

/** BullMQ's states of a job that `parex workers` counts. */
const states = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;

/** How many of the queue's jobs are in each of BullMQ's states. */
export type JobCounts = Readonly<Record<(typeof states)[number], number>>;

/** The workers listening on a queue and its jobs, as `parex workers` shows them. */
export interface QueueStatus {
  readonly queue: string;
  readonly workers: readonly WorkerInfo[];
  readonly jobs: JobCounts;
}

/** Where the queue is: its Redis (and where that URL came from, for messages) and its name. */
export interface QueueAddress {
  readonly redisUrl: string;
  readonly redisFrom: string;
  readonly queue?: string;
}

/** A connection that reads a queue's status as often as asked, until closed. */
export interface QueueStatusReader {
  read(): Promise<QueueStatus>;
  close(): Promise<void>;
}

/** Connects to the queue's Redis to read its status (`parex serve`'s workers route, its gauges). */
export async function openQueueStatus(address: QueueAddress): Promise<QueueStatusReader> {
  const names = queueNames(address.queue);
  const redis = await connectRedis(address.redisUrl, address.redisFrom);
  const { Queue } = await import("bullmq");
  const queue = new Queue(names.queue, { connection: redis });
  return {
    read: async () => {
      const counts = await queue.getJobCounts(...states);
      const jobs = Object.fromEntries(states.map((state) => [state, counts[state] ?? 0]));
      const workers = await listWorkers(redis, names);
      return { queue: names.queue, workers, jobs: jobs as unknown as JobCounts };
    },
    close: async () => {
      await queue.close();
      redis.disconnect();
    },
  };
}

/** Reads the status of a queue once. */
export async function queueStatus(address: QueueAddress): Promise<QueueStatus> {
  const reader = await openQueueStatus(address);
  try {
    return await reader.read();
  } finally {
    await reader.close();
  }
}
