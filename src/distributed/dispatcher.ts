import { hostname } from "node:os";
import type { Queue } from "bullmq";
import { onAbort } from "../core/index.js";
import type { AttemptResult, Command, Executor } from "../core/index.js";
import { connectRedis } from "./connection.js";
import { cancelledTtlMs, coordinatorBeatMs, coordinatorTtlMs, jobId, queueNames } from "./names.js";
import { listWorkers } from "./registry.js";
import type { WorkerInfo } from "./registry.js";
import { taskIdentity } from "./task-job.js";
import type { TaskJob } from "./task-job.js";
import { InFlightJobs, refusedResult } from "./in-flight.js";
import { asJobResult, asWorkerMessage } from "./wire.js";

/** Options of {@link openDispatcher}. */
export interface DispatchOptions {
  /** `redis://` or `rediss://` URL of the queue's Redis. */
  readonly redisUrl: string;
  /** Where the URL came from, for messages: `--redis`, `PAREX_REDIS_URL`. */
  readonly redisFrom: string;
  /** The BullMQ queue. Default "parex". */
  readonly queue?: string;
  readonly runId: string;
  /** The project's directory: task directories are compared relative to it. */
  readonly projectDir: string;
  /** Whether the tasks came from workspace packages. */
  readonly workspaces: boolean;
  /** How long a worker has to stop a cancelled task before the attempt is given up. Default 5,000 ms. */
  readonly killGraceMs?: number;
  /** How often jobs in flight are checked against Redis (messages can be lost). Default 2,000 ms. */
  readonly reconcileMs?: number;
  /** Says something worth a line on stderr (a job re-enqueued after Redis lost it). */
  readonly notice: (text: string) => void;
}

/** The coordinator's side of a distributed run: an executor whose attempts run on workers. */
export interface Dispatcher extends Executor<Command> {
  /** Asks every worker to stop this run's tasks at once. */
  killNow(): void;
  /** The workers listening on the queue now. */
  workers(): Promise<WorkerInfo[]>;
  /** Stops dispatching and releases the connections. */
  close(): Promise<void>;
}

/**
 * Opens the queue: each attempt becomes one BullMQ job (id: run, attempt, task), whose worker
 * streams the output back on the run's channel and returns the attempt's result, which it also
 * says on the channel. An end is heard there (not from BullMQ's events stream, which every
 * coordinator on the queue would have to read whole: four events a job, of every run) and also
 * read from each job's state every `reconcileMs`, since a message is lost while the connection
 * is down and a restarted Redis may have lost jobs (enqueued again).
 */
export async function openDispatcher(options: DispatchOptions): Promise<Dispatcher> {
  const names = queueNames(options.queue);
  const redis = await connectRedis(options.redisUrl, options.redisFrom);
  const subscriber = redis.duplicate();
  const { Queue } = await import("bullmq");
  const queue: Queue = new Queue(names.queue, { connection: redis });
  const inFlight = new InFlightJobs();
  const coordinator = `${hostname()}/${process.pid}`;
  const graceMs = options.killGraceMs ?? 5_000;

  subscriber.on("error", () => {
    // Reconnection is ioredis's; lost messages are made up for by reading the jobs' state.
  });
  subscriber.on("message", (_channel: string, text: string) => {
    const message = asWorkerMessage(text);
    try {
      if (message !== undefined) inFlight.heard(message);
    } catch (error) {
      // A listener of the run failed on it: said, never allowed to end the coordinator.
      options.notice(`a message of a worker could not be used: ${(error as Error).message}`);
    }
  });
  await subscriber.subscribe(names.output(options.runId));

  const beat = async (): Promise<void> => {
    await redis
      .set(names.alive(options.runId), coordinator, "PX", coordinatorTtlMs)
      .catch(() => {});
  };
  await beat();
  const heart = setInterval(() => void beat(), coordinatorBeatMs);
  heart.unref();
  // A Redis that restarted empty must hear that the run is alive before it hands out its jobs.
  redis.on("ready", () => void beat());

  const enqueue = async (job: TaskJob): Promise<void> => {
    await queue.add(job.taskId, job, {
      jobId: jobId(job.runId, job.taskId, job.attempt, job.identity),
      attempts: 1,
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  };

  /** Jobs Redis holds: added, and not being cancelled (a cancelled one is removed on purpose). */
  const held = new Set<string>();
  /** Each job in flight as Redis has it: settled when it ended, enqueued again when lost. */
  const reconcile = async (): Promise<void> => {
    for (const [id, { job }] of [...inFlight.entries()]) {
      if (!held.has(id)) continue;
      const state = await queue.getJobState(id);
      if (!inFlight.has(id) || !held.has(id)) continue; // settled or cancelled meanwhile
      if (state === "unknown") {
        await beat();
        options.notice(`the queue lost ${job.taskId}'s job (Redis restarted?): enqueued it again`);
        await enqueue(job);
        continue;
      }
      if (state !== "completed" && state !== "failed") continue;
      // Read after it ended: a job read earlier keeps the result it had then, none.
      const found = await queue.getJob(id);
      if (found === undefined || !inFlight.has(id)) continue;
      if (state === "completed") {
        const result = asJobResult(found.returnvalue);
        if (result !== undefined) inFlight.settle(id, result);
      } else inFlight.settle(id, refusedResult(found.failedReason));
    }
  };
  let reconciling = false;
  const check = setInterval(() => {
    if (reconciling || inFlight.size === 0) return;
    reconciling = true;
    reconcile()
      .catch(() => {}) // Redis away: the next tick tries again.
      .finally(() => (reconciling = false));
  }, options.reconcileMs ?? 2_000);
  check.unref();

  /** Said twice: a message for the workers running it now, a key for one that misses it. */
  const cancel = (id: string, now: boolean): void => {
    void redis
      .multi()
      .set(names.cancelled(id), "1", "PX", cancelledTtlMs)
      .publish(names.cancel, JSON.stringify({ jobId: id, now }))
      .exec()
      .catch(() => {});
  };

  return {
    execute: (command, context) =>
      new Promise<AttemptResult>((resolve) => {
        const job: TaskJob = {
          v: 1,
          runId: options.runId,
          taskId: context.taskId,
          attempt: context.attempt,
          identity: taskIdentity(command, options.projectDir),
          workspaces: options.workspaces,
          coordinator,
        };
        const id = jobId(job.runId, job.taskId, job.attempt, job.identity);
        let giveUp: NodeJS.Timeout | undefined;
        let unsubscribe = (): void => {};
        const stop = (): void => {
          held.delete(id);
          cancel(id, false);
          // A job no worker has taken yet never starts; one that runs is stopped by its worker
          // (and one that ended meanwhile says how it did).
          void removeWaiting(queue, id)
            .then((removed) => {
              if (removed) inFlight.settle(id, { ok: false, reason: "aborted" });
            })
            .catch(() => {});
          giveUp = setTimeout(() => inFlight.settle(id, unanswered(graceMs)), graceMs + 10_000);
        };
        inFlight.add(id, {
          job,
          context,
          resolve: (result) => {
            held.delete(id);
            clearTimeout(giveUp);
            unsubscribe();
            resolve(result);
          },
        });
        if (context.signal.aborted) {
          inFlight.settle(id, { ok: false, reason: "aborted" });
          return;
        }
        // One listener per signal however many attempts share it (the run's, without a timeout).
        unsubscribe = onAbort(context.signal, stop);
        enqueue(job)
          .then(() => {
            if (!context.signal.aborted) held.add(id);
          })
          .catch((error: unknown) =>
            inFlight.settle(id, {
              ok: false,
              reason: "error",
              error: {
                name: "DispatchError",
                message: `could not enqueue the task: ${(error as Error).message}`,
              },
            }),
          );
      }),
    workers: () => listWorkers(redis, names),
    killNow: () => {
      for (const [id] of inFlight.entries()) cancel(id, true);
    },
    close: async () => {
      clearInterval(heart);
      clearInterval(check);
      await redis.del(names.alive(options.runId)).catch(() => {});
      await queue.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

function unanswered(graceMs: number): AttemptResult {
  return {
    ok: false,
    reason: "aborted",
    error: {
      name: "WorkerSilent",
      message: `no worker confirmed the task stopped within ${graceMs + 10_000} ms of the cancellation`,
    },
  };
}

/** Removes job `id` if no worker has taken it yet; resolves with whether it did. */
async function removeWaiting(queue: Queue, id: string): Promise<boolean> {
  const found = await queue.getJob(id);
  const state = await found?.getState();
  if (
    found === undefined ||
    !(state === "waiting" || state === "prioritized" || state === "delayed")
  )
    return false;
  await found.remove(); // throws when a worker took it meanwhile: its worker stops it then
  return true;
}
