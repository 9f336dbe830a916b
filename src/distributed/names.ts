/** Where parex keeps a queue's state in Redis, beside BullMQ's own keys. */
export interface QueueNames {
  /** The BullMQ queue's name. */
  readonly queue: string;
  /** The channel on which workers publish tasks' output for the run. */
  output(runId: string): string;
  /** The channel on which a coordinator asks workers to stop a job. */
  readonly cancel: string;
  /**
   * The key that says job `jobId` was cancelled: the channel's message can be lost (a worker
   * reconnecting to Redis), the key is read when the job starts and on each of its checks.
   */
  cancelled(jobId: string): string;
  /** The key that says a run's coordinator is alive (it expires when it dies). */
  alive(runId: string): string;
  /** The key of one worker's heartbeat. */
  worker(id: string): string;
  /** The pattern of every worker's heartbeat key. */
  readonly workers: string;
}

/** The default queue's name: `--queue` or `distributed.queue` choose another. */
export const defaultQueue = "parex";

/** The names for `queue`; it must be a BullMQ queue name (no `:`). */
export function queueNames(queue: string = defaultQueue): QueueNames {
  const at = `parex:${queue}`;
  return {
    queue,
    output: (runId) => `${at}:output:${runId}`,
    cancel: `${at}:cancel`,
    cancelled: (jobId) => `${at}:cancelled:${jobId}`,
    alive: (runId) => `${at}:alive:${runId}`,
    worker: (id) => `${at}:worker:${id}`,
    workers: `${at}:worker:*`,
  };
}

/**
 * The job id of one attempt of one command (a task's action, or its fallback's): the same for
 * the same (run, task, attempt, command), so enqueuing it twice adds one job. BullMQ refuses
 * `:` in ids; the task id is base64url-encoded, which has none.
 */
export function jobId(runId: string, taskId: string, attempt: number, identity: string): string {
  return `${runId}.${attempt}.${identity.slice(0, 12)}.${Buffer.from(taskId).toString("base64url")}`;
}

/**
 * A run's coordinator sets its `alive` key this often, to expire {@link coordinatorTtlMs} after
 * the last time: its workers stop the run's tasks once the key has been missing for that long
 * (a Redis that restarted empty has it again after the coordinator's next beat).
 */
export const coordinatorBeatMs = 1_000;
/** How long a job's `cancelled` key is kept: as long as its job stays in the queue once done. */
export const cancelledTtlMs = 24 * 3600 * 1_000;
/** How long a coordinator's `alive` key outlives its last beat. */
export const coordinatorTtlMs = 6_000;
