import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { alive, attemptContext } from "../testing/index.js";
import { hasProc } from "./proc.js";
import { processExecutor } from "./process-executor.js";
import type { StraysOfAttempt } from "./strays.js";
import { killRunStrays } from "./strays.js";

const context = attemptContext;

const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * A shell command that starts `sleep 30` in a session of its own (as `setsid` does: out of the
 * task's process group) and writes its pid to `file` before going on; the stray keeps the task's
 * output pipes (`inherit`) or not (`ignore`).
 */
function leave(file: string, stdio: "inherit" | "ignore"): string {
  const code = `const c = require('child_process').spawn('sleep', ['30'], { detached: true, stdio: '${stdio}' }); require('fs').writeFileSync(${JSON.stringify(file)}, String(c.pid)); c.unref()`;
  return `${quote(process.execPath)} -e ${quote(code)}`;
}

/** Waits until `file` holds a pid (written by the command under test). */
async function pidIn(file: string): Promise<number> {
  for (const deadline = Date.now() + 60_000; ;) {
    assert.ok(Date.now() < deadline, `nothing written to ${file}`);
    try {
      const pid = Number(readFileSync(file, "utf8"));
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    await sleep(10);
  }
}

function setup() {
  const file = join(mkdtempSync(join(tmpdir(), "parex-strays-")), "stray.pid");
  const told: StraysOfAttempt[] = [];
  const executor = processExecutor({
    killGraceMs: 2_000,
    runId: "run_strays",
    onStrays: (strays) => told.push(strays),
  });
  return { file, told, executor };
}

describe("processes a task leaves outside its group", { skip: !hasProc && "not Linux" }, () => {
  it("carry PAREX_TASK=<run>/<task>/<attempt>, which the task's own env cannot replace", async () => {
    const { executor } = setup();
    const { ctx, chunks } = context();
    await executor.execute({ command: 'printf %s "$PAREX_TASK"', env: { PAREX_TASK: "x" } }, ctx);
    assert.deepEqual(chunks, ["stdout:run_strays/task/1"]);
  });

  it("are stopped when the attempt is stopped (a timeout, Ctrl-C), and told of", async () => {
    const { file, told, executor } = setup();
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const done = executor.execute({ command: `${leave(file, "ignore")}; sleep 30` }, ctx);
    const stray = await pidIn(file);
    controller.abort();
    assert.equal((await done).ok, false);
    assert.equal(alive(stray), false, "the stray was stopped with its task");
    assert.deepEqual(told, [
      { taskId: "task", attempt: 1, processes: [{ pid: stray, command: "sleep" }] },
    ]);
  });

  it("are stopped when the task ends, when one still holds the task's output", async () => {
    const { file, told, executor } = setup();
    const { ctx } = context();
    const result = await executor.execute({ command: leave(file, "inherit") }, ctx);
    assert.equal(result.ok, true);
    const stray = await pidIn(file);
    assert.equal(alive(stray), false);
    assert.deepEqual(told, [
      { taskId: "task", attempt: 1, processes: [{ pid: stray, command: "sleep" }] },
    ]);
  });

  it("are stopped when the run ends, those that gave no sign too, each told of once", async () => {
    const { file, told, executor } = setup();
    const { ctx } = context();
    assert.equal((await executor.execute({ command: leave(file, "ignore") }, ctx)).ok, true);
    const stray = await pidIn(file);
    await executor.sweep();
    assert.equal(alive(stray), false);
    assert.deepEqual(told, [
      { taskId: "task", attempt: 1, processes: [{ pid: stray, command: "sleep" }] },
    ]);
    await executor.sweep();
    assert.equal(told.length, 1, "nothing is left to find");
  });

  it("are left alone when the run ends if their attempt is spared (a service kept running)", async () => {
    const { file, told, executor } = setup();
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const service = { command: `${leave(file, "ignore")}; sleep 30`, persistent: true };
    const done = executor.execute(service, ctx);
    const stray = await pidIn(file);
    await executor.sweep([{ taskId: "task", attempt: 1 }]);
    assert.equal(alive(stray), true, "spared with its service");
    assert.deepEqual(told, []);
    controller.abort();
    await done;
    assert.equal(alive(stray), false, "stopped with its service");
  });

  it("are found by their run's id after its runner died (a resume), and only those", async (t) => {
    const start = (mark: string) =>
      spawn("sleep", ["30"], { detached: true, stdio: "ignore", env: { PAREX_TASK: mark } });
    const dead = start("run_dead/pkg/a#build/2");
    const other = start("run_other/build/1");
    t.after(() => other.kill("SIGKILL"));
    await Promise.all([once(dead, "spawn"), once(other, "spawn")]);
    assert.deepEqual(await killRunStrays("run_dead", 2_000), [
      { taskId: "pkg/a#build", attempt: 2, processes: [{ pid: dead.pid, command: "sleep" }] },
    ]);
    assert.equal(alive(dead.pid ?? 0), false);
    assert.equal(alive(other.pid ?? 0), true, "another run's processes are left alone");
  });
});
