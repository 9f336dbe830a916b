import { hostname } from "node:os";
import type { Job, Worker } from "bullmq";
import type { Command, Executor } from "../core/index.js";
import { connectRedis } from "./connection.js";
import { coordinatorBeatMs, coordinatorTtlMs, queueNames } from "./names.js";
import { parseTaskJob, taskIdentity } from "./task-job.js";
import type { TaskJob } from "./task-job.js";
import type { JobResult, WorkerMessage } from "./wire.js";

/**
 * A task's commands as this worker's own config defines them (its action, and its fallback's
 * when that is a command), or a sentence saying why there are none.
 * `fresh`: read the config again rather than from what was read before (it may have changed).
 */
export type TaskLookup = (
  job: TaskJob,
  fresh: boolean,
) => Promise<{ readonly commands: readonly Command[]; readonly projectDir: string } | string>;

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  readonly redisUrl: string;
  /** Where the URL came from, for messages. */
  readonly redisFrom: string;
  /** The BullMQ queue. Default "parex". */
  readonly queue?: string;
  /** How many tasks it runs at once. */
  readonly slots: number;
  readonly lookup: TaskLookup;
  /** What runs a job's task: the process executor, as in a local run, for the job's run. */
  readonly executorFor: (job: TaskJob, projectDir: string) => Executor<Command>;
  /**
   * How long a job's lock lasts without renewal: a worker that dies loses its jobs to
   * another after this (BullMQ's stalled-job check runs as often). Default 30,000 ms.
   */
  readonly lockMs?: number;
  /** Says what the worker does, a line each (a job taken, refused, ended). */
  readonly log: (text: string) => void;
}

/** A worker pulling the queue's jobs until it is closed. */
export interface RunningWorker {
  /** `host/pid`. */
  readonly id: string;
  /** Stops taking jobs, lets the running ones end, and disconnects. */
  close(): Promise<void>;
}

/** How long a worker's heartbeat key outlives its last beat (`parex workers` lists it until then). */
const heartbeatMs = 10_000;

/**
 * Starts a worker: each job is looked up in this worker's config and run only when its task's
 * identity there is the job's; the output goes back on the run's channel as it comes; a
 * cancellation from the coordinator, or the coordinator's heartbeat expiring, stops the task.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const names = queueNames(options.queue);
  const redis = await connectRedis(options.redisUrl, options.redisFrom);
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {
    // Reconnection is ioredis's; a cancellation missed meanwhile is read from its key.
  });
  const { Worker: BullWorker, UnrecoverableError } = await import("bullmq");
  const id = `${hostname()}/${process.pid}`;
  let running = 0;

  const publish = (runId: string, message: WorkerMessage): void => {
    void redis.publish(names.output(runId), JSON.stringify(message)).catch(() => {});
  };

  const processJob = async (
    job: Job,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<JobResult> => {
    const refuse = (why: string): never => {
      options.log(`refused job ${job.id ?? "?"}: ${why}; nothing was run`);
      const reason = `worker ${id} refused the job: ${why}; nothing was run`;
      const runId = (job.data as { runId?: unknown } | null)?.runId;
      if (typeof runId === "string" && job.id !== undefined)
        publish(runId, { jobId: job.id, type: "refused", reason });
      throw new UnrecoverableError(reason);
    };
    const data = parseTaskJob(job.data);
    if (typeof data === "string") return refuse(data);
    const jobId = job.id ?? "";
    if ((await redis.exists(names.alive(data.runId))) === 0)
      return refuse(`run ${data.runId}'s coordinator (${data.coordinator}) is gone`);
    const matching = (task: { commands: readonly Command[]; projectDir: string }) =>
      task.commands.find((command) => taskIdentity(command, task.projectDir) === data.identity);
    let found = await options.lookup(data, false);
    // What was read before may be out of date (a pull since): read the config again.
    if (typeof found === "string" || matching(found) === undefined)
      found = await options.lookup(data, true);
    if (typeof found === "string") return refuse(found);
    const command = matching(found);
    if (command === undefined)
      return refuse(
        `its task "${data.taskId}" is defined differently here (another config or checkout than ${data.coordinator}'s)`,
      );
    if ((await redis.exists(names.cancelled(jobId))) === 1) {
      options.log(
        `${data.taskId} (run ${data.runId}) was cancelled before it started; nothing was run`,
      );
      const cancelled: JobResult = { ok: false, reason: "aborted", worker: id, chunks: 0 };
      publish(data.runId, { jobId, type: "ended", result: cancelled });
      return cancelled;
    }
    const controller = new AbortController();
    const stop = (): void => controller.abort(signal?.reason);
    if (signal?.aborted === true) stop();
    signal?.addEventListener("abort", stop, { once: true });
    // The coordinator is gone once its key has been missing for as long as it lives after a
    // beat: a restarted Redis has it again at the coordinator's next beat, and a check that a
    // Redis outage held back answers late, so one check at a time and only the clock decides.
    let missingSince: number | undefined;
    let checking = false;
    const watch = setInterval(() => {
      if (checking) return;
      checking = true;
      Promise.all([redis.exists(names.alive(data.runId)), redis.exists(names.cancelled(jobId))])
        .then(([alive, cancelled]) => {
          if (cancelled === 1 && !controller.signal.aborted) {
            options.log(`${data.taskId}: cancelled by its run's coordinator; stopping it`);
            controller.abort(new Error("cancelled by the run's coordinator"));
          }
          const now = Date.now();
          missingSince = alive === 0 ? (missingSince ?? now) : undefined;
          if (missingSince !== undefined && now - missingSince >= coordinatorTtlMs) {
            options.log(`${data.taskId}: its run's coordinator is gone; stopping it`);
            controller.abort(new Error("the run's coordinator is gone"));
          }
        })
        .catch(() => {}) // Redis away: the jobs' locks decide, not a guess.
        .finally(() => (checking = false));
    }, coordinatorBeatMs);
    const reconnected = (): void => {
      missingSince = undefined;
    };
    redis.on("ready", reconnected);
    let chunks = 0;
    running++;
    options.log(`${data.taskId} (run ${data.runId}, attempt ${data.attempt}) started`);
    publish(data.runId, { jobId, type: "started", worker: id });
    try {
      const executor = options.executorFor(data, found.projectDir);
      const result = await executor.execute(command, {
        taskId: data.taskId,
        attempt: data.attempt,
        signal: controller.signal,
        results: {},
        output: (stream, chunk) => {
          chunks++;
          publish(data.runId, { jobId, type: "output", stream, chunk });
        },
        ready: () => publish(data.runId, { jobId, type: "ready" }),
        process: () => {},
      });
      options.log(`${data.taskId} (run ${data.runId}) ${result.ok ? "succeeded" : result.reason}`);
      // What an action threw stays here: only JSON crosses the queue.
      const plain = Object.entries(result).filter(([key]) => key !== "thrown");
      const ended: JobResult = {
        ...(Object.fromEntries(plain) as typeof result),
        worker: id,
        chunks,
      };
      publish(data.runId, { jobId, type: "ended", result: ended });
      return ended;
    } finally {
      running--;
      clearInterval(watch);
      redis.off("ready", reconnected);
      signal?.removeEventListener("abort", stop);
    }
  };

  const worker: Worker = new BullWorker(names.queue, processJob, {
    connection: redis,
    concurrency: options.slots,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.lockMs ?? 30_000,
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on("error", () => {
    // Connection errors: ioredis reconnects, and BullMQ resumes from the jobs' state.
  });

  subscriber.on("message", (_channel: string, text: string) => {
    try {
      const { jobId } = JSON.parse(text) as { jobId?: unknown };
      if (typeof jobId === "string") worker.cancelJob(jobId, "cancelled by the run's coordinator");
    } catch {
      // Not a cancellation: ignored.
    }
  });
  await subscriber.subscribe(names.cancel);

  const beat = async (): Promise<void> => {
    const info = { id, host: hostname(), pid: process.pid, slots: options.slots, running };
    await redis
      .set(names.worker(id), JSON.stringify({ ...info, at: Date.now() }), "PX", heartbeatMs)
      .catch(() => {});
  };
  await beat();
  const heart = setInterval(() => void beat(), heartbeatMs / 5);
  heart.unref();
  void worker.run();

  return {
    id,
    close: async () => {
      await worker.close();
      clearInterval(heart);
      await redis.del(names.worker(id)).catch(() => {});
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
