import { redisUnreachable } from "./connection.js";
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

/**
 * A reader of the queue's status (`parex serve`'s workers route and gauges): it connects on the
 * first read, and a read while Redis does not answer fails at once, naming it, rather than
 * waiting for a reconnect (a scrape or a request must not hang).
 */
export async function openQueueStatus(address: QueueAddress): Promise<QueueStatusReader> {
  const names = queueNames(address.queue);
  const { Redis } = await import("ioredis");
  const { Queue } = await import("bullmq");
  const redis = new Redis(address.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    lastError = error; // said by the read that fails
  });
  // Made once connected: BullMQ would otherwise start connecting the client itself.
  let queue: InstanceType<typeof Queue> | undefined;
  let connecting: Promise<void> | undefined;
  const unreachable = (why: string): Error =>
    redisUnreachable(address.redisUrl, address.redisFrom, why);
  const ready = async (): Promise<InstanceType<typeof Queue>> => {
    if (redis.status === "wait" || redis.status === "end") {
      connecting ??= redis
        .connect()
        .catch((error: unknown) => {
          redis.disconnect();
          throw unreachable((lastError ?? (error as Error)).message);
        })
        .finally(() => (connecting = undefined));
    }
    if (connecting !== undefined) await connecting;
    if (redis.status !== "ready") throw unreachable(`the connection is ${redis.status}`);
    return (queue ??= new Queue(names.queue, { connection: redis }));
  };
  return {
    read: async () => {
      const counts = await (await ready()).getJobCounts(...states);
      const jobs = Object.fromEntries(states.map((state) => [state, counts[state] ?? 0]));
      const workers = await listWorkers(redis, names);
      return { queue: names.queue, workers, jobs: jobs as unknown as JobCounts };
    },
    close: async () => {
      await queue?.close().catch(() => {});
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
