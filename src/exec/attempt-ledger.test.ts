import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Executor } from "../core/index.js";
import { alive, attemptContext, tempDirs } from "../testing/index.js";
import { AttemptLedger, stopLeftAttempts } from "./attempt-ledger.js";
import { markVariable } from "./strays.js";

const dirs = tempDirs("parex-ledger-");
const started: number[] = [];
after(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  dirs.removeAll();
});

/** A `sleep` in a process group of its own, carrying `mark` (or no mark). */
function sleeper(mark?: string): number {
  const env =
    mark === undefined ? { PATH: process.env["PATH"] } : { ...process.env, [markVariable]: mark };
  const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore", env });
  child.unref();
  started.push(child.pid ?? 0);
  return child.pid ?? 0;
}

/** The pid of a process that has ended. */
const deadPid = (): number => spawnSync("true").pid;

describe("the workers' attempt ledger", () => {
  it("stops the process groups a dead worker left running, and removes its file", async () => {
    const dir = dirs.make();
    const group = sleeper("run_1/build/1");
    const dead = deadPid();
    writeFileSync(join(dir, `${dead}.json`), JSON.stringify([[group, "run_1/build/1"]]));
    assert.deepEqual(await stopLeftAttempts(dir, 1_000), [
      { worker: dead, stopped: ["run_1/build/1"] },
    ]);
    assert.equal(alive(group), false);
    assert.equal(existsSync(join(dir, `${dead}.json`)), false);
  });

  it("leaves a group whose processes do not carry the attempt's mark (its id was reused)", async () => {
    const dir = dirs.make();
    const stranger = sleeper();
    writeFileSync(join(dir, `${deadPid()}.json`), JSON.stringify([[stranger, "run_1/build/1"]]));
    const [found] = await stopLeftAttempts(dir, 1_000);
    assert.deepEqual(found?.stopped, []);
    assert.equal(alive(stranger), true);
  });

  it("leaves a live worker's attempts alone, and lists an attempt's group while it runs", async () => {
    const dir = dirs.make();
    const ledger = new AttemptLedger(dir);
    const group = sleeper("run_2/test/1");
    let release = (): void => {};
    const executor: Executor<string> = {
      execute: (_action, context) => {
        context.process(group);
        return new Promise((resolve) => (release = () => resolve({ ok: true })));
      },
    };
    const running = ledger.track(executor, "run_2").execute("x", {
      ...attemptContext().ctx,
      taskId: "test",
    });
    const file = join(dir, `${process.pid}.json`);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), [[group, "run_2/test/1"]]);
    assert.deepEqual(await stopLeftAttempts(dir, 1_000), []);
    assert.equal(alive(group), true);
    release();
    await running;
    assert.equal(readFileSync(file, "utf8"), "[]");
    ledger.close();
    assert.equal(existsSync(file), false);
  });

  it("refuses a directory others can write to", () => {
    const dir = dirs.make();
    chmodSync(dir, 0o777);
    assert.throws(() => new AttemptLedger(dir), /is not a private directory of this user/);
  });
});
