import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import type { RunSummary } from "../../src/core/index.js";
import { startRedisServer, tempDirs } from "../../src/testing/index.js";
import type { TestRedis } from "../../src/testing/index.js";
import { distributedProject, gated, runsOf, until, workerOn } from "./distributed-project.js";
import { killStarted, parex } from "./parex-process.js";

const dirs = tempDirs("parex-distributed-faults-");
const servers: TestRedis[] = [];
afterEach(async () => {
  killStarted();
  for (const server of servers.splice(0)) await server.stop();
});
after(() => dirs.removeAll());

describe(
  "distributed runs when their Redis restarts (a redis-server of the test's own)",
  { timeout: 180_000 },
  () => {
    for (const persistent of [false, true]) {
      it(`${persistent ? "with" : "without"} persistence: the run completes, no task lost, none reported twice`, async () => {
        const redis = await startRedisServer({ dir: dirs.make(), persistent });
        servers.push(redis);
        const { dir, queue } = distributedProject(dirs, {
          slow: { run: gated("slow") },
          after: { run: "echo after ran", dependsOn: ["slow"] },
        });
        await workerOn(redis.url, dir, queue, "-j", "1", "--lock-ms", "2000");
        const run = parex(dir, ["run", "--redis", redis.url, "--queue", queue, "--json"]);
        await until(() => runsOf(dir, "slow").length === 1, "the task to start");
        await redis.restart();
        if (!persistent) {
          // Redis lost the job: the coordinator finds it gone and enqueues it again; the
          // worker, still running the first copy, takes the second once the first has ended.
          await run.said(/the queue lost slow's job \(Redis restarted\?\): enqueued it again/);
        }
        writeFileSync(join(dir, "go"), "");
        assert.equal(await run.exited, 0, run.output().stderr);
        const summary = JSON.parse(run.output().stdout) as RunSummary;
        assert.deepEqual(
          summary.tasks.map((task) => [task.id, task.status, task.attempts]),
          [
            ["slow", "succeeded", 1],
            ["after", "succeeded", 1],
          ],
        );
        const runs = runsOf(dir, "slow").length;
        if (persistent) assert.ok(runs <= 2, `slow ran ${runs} times`);
        else assert.equal(runs, 2, "at least once: the lost job ran again");
      });
    }
  },
);
