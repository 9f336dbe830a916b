import { connectRedis } from "./connection.js";
import { queueNames } from "./names.js";
import { listWorkers } from "./registry.js";
import type { WorkerInfo } from "./registry.js";

/** How many of the queue's jobs are in each of BullMQ's states. */
export interface JobCounts {
  readonly waiting: number;
  readonly prioritized: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}

/** The workers listening on a queue and its jobs, as `parex workers` shows them. */
export interface QueueStatus {
  readonly queue: string;
  readonly workers: readonly WorkerInfo[];
  readonly jobs: JobCounts;
}

const states = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;

/** Reads the status of `queue` (default "parex") on the Redis at `url`. */
export async function queueStatus(options: {
  readonly redisUrl: string;
  readonly redisFrom: string;
  readonly queue?: string;
}): Promise<QueueStatus> {
  const names = queueNames(options.queue);
  const redis = await connectRedis(options.redisUrl, options.redisFrom);
  const { Queue } = await import("bullmq");
  const queue = new Queue(names.queue, { connection: redis });
  try {
    const counts = await queue.getJobCounts(...states);
    const jobs = Object.fromEntries(states.map((state) => [state, counts[state] ?? 0]));
    return {
      queue: names.queue,
      workers: await listWorkers(redis, names),
      jobs: jobs as unknown as JobCounts,
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
