import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import type { RunSummary } from "../../src/core/index.js";
import { queueNames, taskIdentity } from "../../src/distributed/index.js";
import { tempDirs } from "../../src/testing/index.js";
import { killStarted, parex } from "./parex-process.js";

type ParexProcess = ReturnType<typeof parex>;

const redisUrl = "redis://127.0.0.1:6379";
const node = JSON.stringify(process.execPath);

/** Whether the machine's Redis answers (CI starts it: there, a test never skips for it). */
async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const skip =
  process.env["CI"] !== "true" &&
  !(await redisAnswers()) &&
  "Redis does not answer on 127.0.0.1:6379 (start it: docs/distributed.md)";

/**
 * A task script: appends its pid to `NAME.runs`, prints "NAME waiting", then waits until the
 * file `go` exists, or (with a second argument) until the file `OTHER.runs` does, and prints
 * "NAME done".
 */
const gate = `
const fs = require("fs");
const [name, other] = process.argv.slice(2);
fs.appendFileSync(name + ".runs", process.pid + "\\n");
console.log(name + " waiting");
const wanted = other === undefined ? "go" : other + ".runs";
const t = setInterval(() => {
  if (fs.existsSync(wanted)) { clearInterval(t); console.log(name + " done"); }
}, 20);
`;

const dirs = tempDirs("parex-distributed-");
let queues = 0;

/** A project whose tasks run `gate.cjs`, and a queue of its own. */
function project(tasks: Record<string, unknown>): { dir: string; queue: string } {
  const dir = dirs.make();
  writeFileSync(join(dir, "gate.cjs"), gate);
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  return { dir, queue: `test-${process.pid}-${++queues}` };
}

const gated = (name: string, other?: string): string =>
  `${node} gate.cjs ${name}${other === undefined ? "" : ` ${other}`}`;

const runsOf = (dir: string, name: string): number[] => {
  const file = join(dir, `${name}.runs`);
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").map(Number) : [];
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls `check` every 50 ms until it holds; fails after `ms` with `what`. */
async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`still waiting after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startWorker(dir: string, queue: string, ...args: string[]): Promise<ParexProcess> {
  const worker = parex(dir, ["worker", "--redis", redisUrl, "--queue", queue, ...args]);
  await worker.said(/waiting for tasks on queue/);
  return worker;
}

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
      const { dir, queue } = project({
        a: { run: gated("a", "b") },
        b: { run: gated("b", "a") },
        c: { run: "echo c ran", dependsOn: ["a", "b"] },
      });
      used.push(queue);
      const workers = [
        await startWorker(dir, queue, "-j", "1"),
        await startWorker(dir, queue, "-j", "1"),
      ];
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
    });

    it("refuses a forged job, a job of an unknown task and one of another definition, running nothing", async () => {
      const { dir, queue } = project({ deploy: { run: gated("deploy") } });
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
      const { dir, queue } = project({ slow: { run: gated("slow") } });
      used.push(queue);
      const first = await startWorker(dir, queue, "-j", "1", "--lock-ms", "1000");
      const run = parex(dir, ["run", "--redis", redisUrl, "--queue", queue, "--json"]);
      await until(() => runsOf(dir, "slow").length === 1, "the task to start on the first worker");
      first.child.kill("SIGKILL");
      await first.exited;
      // Its task's process outlives it (no worker is left to stop it): the test does.
      for (const pid of runsOf(dir, "slow")) process.kill(pid, "SIGKILL");
      const second = await startWorker(dir, queue, "-j", "1", "--lock-ms", "1000");
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
      const { dir, queue } = project({ forever: { run: gated("forever") } });
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
  },
);
