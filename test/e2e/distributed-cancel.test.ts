import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { AttemptResult, Command, Executor } from "../../src/core/index.js";
import { jobId, queueNames, startWorker, taskIdentity } from "../../src/distributed/index.js";
import type { RunningWorker, TaskJob } from "../../src/distributed/index.js";
import { redisAnswers } from "../../src/testing/index.js";

// A cancellation reaches a worker twice: a message on the cancel channel, and a key. The
// message is lost when the worker is reconnecting to Redis at that moment; these tests set the
// key alone, as a coordinator whose message was lost leaves it, and expect the task stopped.
const redisUrl = "redis://127.0.0.1:6379";
const skip =
  process.env["CI"] !== "true" &&
  !(await redisAnswers(redisUrl)) &&
  "Redis does not answer on 127.0.0.1:6379 (start it: docs/distributed.md)";

const command: Command = { command: "sleep 600", cwd: "/project" };
const identity = taskIdentity(command, "/project");

/** An executor whose task runs until its signal aborts, and says when it starts. */
function untilAborted(): { executor: Executor<Command>; started: Promise<void>; calls: number } {
  let began = (): void => {};
  const state = {
    calls: 0,
    started: new Promise<void>((resolve) => (began = resolve)),
    executor: {
      execute: (_command: Command, context: { signal: AbortSignal }) =>
        new Promise<AttemptResult>((resolve) => {
          state.calls++;
          began();
          context.signal.addEventListener(
            "abort",
            () => resolve({ ok: false, reason: "aborted" }),
            {
              once: true,
            },
          );
        }),
    } as Executor<Command>,
  };
  return state;
}

describe(
  "a cancellation whose message was lost (real Redis, a worker in this process)",
  { skip, timeout: 60_000 },
  () => {
    const redis = new Redis(redisUrl, { lazyConnect: true });
    const opened: { queue: Queue; worker: RunningWorker; cancelled: string }[] = [];
    after(async () => {
      for (const { queue, worker, cancelled } of opened) {
        // A test that failed before its task stopped: stop it now, or closing waits for it.
        await redis.set(cancelled, "1", "PX", 60_000);
        await worker.close();
        await redis.del(cancelled);
        await queue.obliterate({ force: true }).catch(() => {});
        await queue.close();
      }
      redis.disconnect();
    });

    async function setUp(taskId: string) {
      const name = `parex-cancel-${randomUUID().slice(0, 8)}`;
      const names = queueNames(name);
      const runId = `run_${randomUUID().slice(0, 8)}`;
      const job: TaskJob = {
        v: 1,
        runId,
        taskId,
        attempt: 1,
        identity,
        workspaces: false,
        coordinator: "test/1",
      };
      const id = jobId(runId, taskId, 1, identity);
      await redis.set(names.alive(runId), "test/1", "PX", 60_000); // the coordinator lives
      const task = untilAborted();
      const logs: string[] = [];
      const worker = await startWorker({
        redisUrl,
        redisFrom: "the test",
        queue: name,
        slots: 1,
        lookup: () => Promise.resolve({ commands: [command], projectDir: "/project" }),
        executorFor: () => task.executor,
        log: (text) => logs.push(text),
      });
      const queue = new Queue(name, { connection: { url: redisUrl } });
      opened.push({ queue, worker, cancelled: names.cancelled(id) });
      const add = () => queue.add(taskId, job, { jobId: id, attempts: 1 });
      return { names, id, queue, task, logs, add };
    }

    /** The job's return value once it completed; fails the test when it has not in 30 s. */
    async function resultOf(queue: Queue, id: string): Promise<unknown> {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        // The state first, then the job: a job read before it completed keeps the return
        // value it had then (none), even once its state reads "completed".
        if ((await queue.getJobState(id)) === "completed")
          return (await queue.getJob(id))?.returnvalue;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.fail(`job ${id} did not complete within 30 s of its cancellation`);
    }

    it("stops a running task whose cancellation only left its key", async () => {
      const { names, id, queue, task, logs, add } = await setUp("runs");
      await add();
      await task.started;
      await redis.set(names.cancelled(id), "1", "PX", 60_000);
      const result = (await resultOf(queue, id)) as { ok: boolean; reason?: string };
      assert.deepEqual([result.ok, result.reason], [false, "aborted"]);
      assert.ok(
        logs.some((line) => /runs: cancelled by its run's coordinator; stopping it/.test(line)),
        logs.join("\n"),
      );
    });

    it("runs nothing of a job cancelled before a worker took it", async () => {
      const { names, id, queue, task, logs, add } = await setUp("waits");
      await redis.set(names.cancelled(id), "1", "PX", 60_000);
      await add();
      const result = (await resultOf(queue, id)) as { ok: boolean; reason?: string };
      assert.deepEqual([result.ok, result.reason], [false, "aborted"]);
      assert.equal(task.calls, 0, "the task was not run");
      assert.ok(
        logs.some((line) => /was cancelled before it started; nothing was run/.test(line)),
        logs.join("\n"),
      );
    });
  },
);
