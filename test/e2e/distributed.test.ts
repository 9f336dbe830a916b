import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import type { RunSummary } from "../../src/core/index.js";
import { queueNames, taskIdentity } from "../../src/distributed/index.js";
import { alive, redisAnswers, tempDirs } from "../../src/testing/index.js";
import { distributedProject, gated, runsOf, until, workerOn } from "./distributed-project.js";
import { killStarted, parex } from "./parex-process.js";

const redisUrl = "redis://127.0.0.1:6379";
const skip =
  process.env["CI"] !== "true" &&
  !(await redisAnswers(redisUrl)) &&
  "Redis does not answer on 127.0.0.1:6379 (start it: docs/distributed.md)";
const dirs = tempDirs("parex-distributed-");
const startWorker = (dir: string, queue: string, ...args: string[]) =>
  workerOn(redisUrl, dir, queue, ...args);

const used: string[] = [];
afterEach(async () => {
  killStarted();
  for (const name of used.splice(0)) {
    const queue = new Queue(name, { connection: { url: redisUrl } });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
});
after(() => dirs.removeAll());

describe(
  "distributed runs on BullMQ (real Redis, real worker processes)",
  { skip, timeout: 180_000 },
  () => {
    it("spreads a run over two workers, streams the output back, and names each task's worker", async () => {
      // a and b each wait for the other to have started: they can only end on two workers.
      const { dir, queue } = distributedProject(dirs, {
        a: { run: gated("a", "b") },
        b: { run: gated("b", "a") },
        c: { run: "echo c ran", dependsOn: ["a", "b"] },
      });
      used.push(queue);
      const workers = [
        await startWorker(dir, queue, "-j", "1"),
        await startWorker(dir, queue, "-j", "1"),
      ];
      const listing = parex(dir, ["workers", "--redis", redisUrl, "--queue", queue, "--json"]);
      assert.equal(await listing.exited, 0, listing.output().stderr);
      const listed = JSON.parse(listing.output().stdout) as {
        workers: { id: string; slots: number }[];
      };
      assert.deepEqual(
        listed.workers.map((worker) => [worker.id, worker.slots]).sort(),
        workers.map((worker) => [`${hostname()}/${worker.child.pid ?? 0}`, 1]).sort(),
      );
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json"]);
      assert.equal(await run.exited, 0, run.output().stderr);
      const { stdout, stderr } = run.output();
      assert.match(stderr, /^parex: distributed: 2 workers with 2 slots on queue test-/m);
      assert.match(stderr, /^a │ a done$/m);
      assert.match(stderr, /^c │ c ran$/m);
      const summary = JSON.parse(stdout) as RunSummary;
      assert.equal(summary.status, "succeeded");
      const ids = workers.map((worker) => `${hostname()}/${worker.child.pid ?? 0}`);
      const ranOn = Object.fromEntries(summary.tasks.map((task) => [task.id, task.worker]));
      assert.deepEqual(new Set([ranOn["a"], ranOn["b"]]), new Set(ids));
      assert.ok(ids.includes(ranOn["c"] ?? ""), `c ran on ${ranOn["c"]}`);
      assert.deepEqual(
        Object.keys(summary.workerDistribution?.["other"] ?? {}).sort(),
        [...ids].sort(),
        "the insight's distribution is by worker",
      );
      // The coordinator keeps the logs, from the output the workers sent back.
      const logs = join(dir, ".parex", "logs", summary.runId);
      assert.equal(readFileSync(join(logs, "a.1.log"), "utf8"), "a waiting\na done\n");
    });

    it("refuses a forged job, a job of an unknown task and one of another definition, running nothing", async () => {
      const { dir, queue } = distributedProject(dirs, { deploy: { run: gated("deploy") } });
      used.push(queue);
      await startWorker(dir, queue);
      const redis = new Redis(redisUrl);
      const names = queueNames(queue);
      await redis.set(names.alive("run_forged"), "test", "PX", 60_000);
      const bull = new Queue(queue, { connection: { url: redisUrl } });
      const events = new QueueEvents(queue, { connection: { url: redisUrl } });
      await events.waitUntilReady();
      const job = {
        v: 1,
        runId: "run_forged",
        attempt: 1,
        workspaces: false,
        coordinator: "attacker/1",
      };
      const real = taskIdentity({ command: gated("deploy"), cwd: dir }, dir);
      const cases: [unknown, RegExp][] = [
        ["rm -rf /", /refused the job: its data is "rm -rf \/", not an object; nothing was run$/],
        [
          { ...job, taskId: "steal", identity: real },
          /refused the job: this worker's config has no task "steal"; nothing was run$/,
        ],
        [
          { ...job, taskId: "deploy", identity: "0".repeat(64) },
          /refused the job: its task "deploy" is defined differently here \(another config or checkout than attacker\/1's\); nothing was run$/,
        ],
      ];
      try {
        for (const [data, reason] of cases) {
          const added = await bull.add("forged", data);
          await assert.rejects(added.waitUntilFinished(events), reason);
        }
      } finally {
        await events.close();
        await bull.close();
        redis.disconnect();
      }
      assert.deepEqual(runsOf(dir, "deploy"), [], "the task never ran");
    });

    it("a worker SIGKILLed mid-task loses nothing: the task runs on another worker and is reported once", async () => {
      const { dir, queue } = distributedProject(dirs, { slow: { run: gated("slow") } });
      used.push(queue);
      const first = await startWorker(dir, queue, "-j", "1", "--lock-ms", "1000");
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json"]);
      await until(() => runsOf(dir, "slow").length === 1, "the task to start on the first worker");
      first.child.kill("SIGKILL");
      await first.exited;
      // Its task's process outlives it: the next worker to start on the machine stops it.
      const [orphan = 0] = runsOf(dir, "slow");
      assert.ok(alive(orphan));
      const second = await startWorker(dir, queue, "-j", "1", "--lock-ms", "1000");
      await until(() => !alive(orphan), "the dead worker's task to be stopped");
      await until(
        () => runsOf(dir, "slow").length === 2,
        "the task to run again on the second worker",
      );
      writeFileSync(join(dir, "go"), "");
      assert.equal(await run.exited, 0, run.output().stderr);
      const summary = JSON.parse(run.output().stdout) as RunSummary;
      assert.deepEqual(
        summary.tasks.map((task) => [task.id, task.status, task.attempts, task.worker]),
        [["slow", "succeeded", 1, `${hostname()}/${second.child.pid ?? 0}`]],
      );
    });

    it("Ctrl-C on the coordinator stops the task's processes on the worker", async () => {
      const { dir, queue } = distributedProject(dirs, { forever: { run: gated("forever") } });
      used.push(queue);
      const worker = await startWorker(dir, queue);
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json"]);
      await run.said(/^forever │ forever waiting$/m);
      const [pid = 0] = runsOf(dir, "forever");
      assert.ok(alive(pid));
      run.child.kill("SIGINT");
      assert.equal(await run.exited, 130, run.output().stderr);
      await until(() => !alive(pid), "the task's process to be stopped");
      await worker.said(/forever \(run run_\w+\) (?:signal|aborted)$/m);
    });

    it("a coordinator SIGKILLed: its worker stops the task, and --resume runs what did not finish", async () => {
      const { dir, queue } = distributedProject(dirs, {
        first: { run: "echo first" },
        orphan: { run: gated("orphan"), dependsOn: ["first"] },
      });
      used.push(queue);
      const worker = await startWorker(dir, queue);
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json"]);
      await until(() => runsOf(dir, "orphan").length === 1, "the task to start");
      run.child.kill("SIGKILL");
      const [pid = 0] = runsOf(dir, "orphan");
      await worker.said(/orphan: its run's coordinator is gone; stopping it/);
      await until(() => !alive(pid), "the dead run's task to be stopped");

      writeFileSync(join(dir, "go"), "");
      const resumed = parex(dir, [
        "run",
        "--resume",
        "--redis",
        redisUrl,
        "--queue",
        queue,
        "--json",
      ]);
      assert.equal(await resumed.exited, 0, resumed.output().stderr);
      const summary = JSON.parse(resumed.output().stdout) as RunSummary;
      assert.deepEqual(
        summary.tasks.map((task) => [task.id, task.status]),
        [
          ["first", "succeeded"],
          ["orphan", "succeeded"],
        ],
      );
      assert.equal(runsOf(dir, "orphan").length, 2, "only the unfinished task ran again");
    });

    it("a worker that starts after the run began picks up its tasks; SIGTERM lets a worker's task end first", async () => {
      const { dir, queue } = distributedProject(dirs, {
        long: { run: gated("long") },
        next: { run: "echo next ran", dependsOn: ["long"] },
      });
      used.push(queue);
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json", "-j", "1"]);
      await run.said(/no worker listens on queue test-\S+ on redis:\/\/127\.0\.0\.1:6379\/? yet/);
      const late = await startWorker(dir, queue, "-j", "1");
      await until(() => runsOf(dir, "long").length === 1, "the late worker to take the task");
      late.child.kill("SIGTERM");
      await late.said(/SIGTERM: letting the running tasks end, taking no more/);
      assert.equal(late.child.exitCode, null, "it waits for its task");
      writeFileSync(join(dir, "go"), "");
      assert.equal(await late.exited, 0, late.output().stderr);
      // `next` was not taken by the stopping worker: another one runs it.
      await startWorker(dir, queue, "-j", "1");
      assert.equal(await run.exited, 0, run.output().stderr);
      const summary = JSON.parse(run.output().stdout) as RunSummary;
      assert.deepEqual(
        summary.tasks.map((task) => [
          task.id,
          task.status,
          task.worker === `${hostname()}/${late.child.pid ?? 0}`,
        ]),
        [
          ["long", "succeeded", true],
          ["next", "succeeded", false],
        ],
      );
    });
  },
);
