import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { alive } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const marks = (dir: string): string[] =>
  readFileSync(join(dir, "marks"), "utf8").trim().split("\n");

/** a → b → slow → after; `hangs` is the task that hangs the first time it runs (and is left behind). */
function project(hangs: "a" | "slow"): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-resume-"));
  const step = (name: string) =>
    name === hangs
      ? `echo ${name} >> marks; echo $$ >> pids; if [ -f resumed ]; then true; else touch resumed; sleep 30; fi`
      : `echo ${name} >> marks`;
  writeFileSync(
    join(dir, "parex.config.json"),
    JSON.stringify({
      killGraceMs: 300,
      tasks: {
        a: step("a"),
        b: { run: step("b"), dependsOn: ["a"] },
        slow: { run: step("slow"), dependsOn: ["b"] },
        after: { run: step("after"), dependsOn: ["slow"] },
      },
    }),
  );
  return dir;
}

/**
 * Starts a run, waits until `task` has started, calls `meanwhile`, then SIGKILLs the runner;
 * returns the orphan's pid.
 */
async function killDuring(dir: string, task: string, meanwhile = () => {}): Promise<number> {
  const runner = spawn(process.execPath, [bin, "run", "-j", "1", "--output", "none"], {
    cwd: dir,
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => runner.once("exit", resolve));
  // Until the task has written its pid and the journal has its attempt with its process group
  // (written within 25 ms of its start, however long a loaded machine takes to get there).
  const ready = () =>
    existsSync(join(dir, "pids")) &&
    journalLines(dir).some((line) => line.type === "task.process" && line.taskId === task);
  const deadline = Date.now() + 60_000;
  while (!ready()) {
    assert.ok(Date.now() < deadline, `gave up waiting for ${task} to start`);
    await sleep(25);
  }
  meanwhile();
  runner.kill("SIGKILL");
  await exited;
  const [orphan] = readFileSync(join(dir, "pids"), "utf8").trim().split("\n").map(Number);
  assert.ok(orphan !== undefined && alive(orphan), "the killed runner left its task running");
  return orphan;
}

interface Listed {
  id: string;
  status: string;
  tasks: number;
  startedAt: number;
  finishedAt?: number;
  resumedBy?: string;
  resumedFrom?: string;
}

/** The lines of the journals in `dir`'s .parex so far (the last one may be cut short). */
function journalLines(dir: string): { type?: string; taskId?: string }[] {
  const journals = join(dir, ".parex", "journal");
  if (!existsSync(journals)) return [];
  return readdirSync(journals).flatMap((name) =>
    readFileSync(join(journals, name), "utf8")
      .split("\n")
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { type?: string; taskId?: string }];
        } catch {
          return [];
        }
      }),
  );
}

function parex(dir: string, args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const history = (dir: string): Listed[] =>
  JSON.parse(parex(dir, ["history", "--json"])) as Listed[];

function resume(dir: string) {
  const result = spawnSync(
    process.execPath,
    [bin, "run", "--resume", "--json", "--output", "none"],
    { cwd: dir, encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as {
    runId: string;
    resumedFrom?: string;
    tasks: { id: string; reused?: boolean }[];
  };
  return {
    stderr: result.stderr,
    summary,
    reused: summary.tasks.filter((t) => t.reused === true).map((t) => t.id),
  };
}

describe("resume (end to end, the runner SIGKILLed at several points)", () => {
  it("mid-graph: what succeeded is not run again, the task in flight runs again", async () => {
    const dir = project("slow");
    const orphan = await killDuring(dir, "slow");
    const { stderr, summary, reused } = resume(dir);
    assert.match(
      stderr,
      /Resuming run_\w+: 2 tasks already succeeded, 1 process groups it left running stopped\./,
    );
    assert.equal(alive(orphan), false, "the orphaned group was stopped");
    assert.deepEqual(marks(dir), ["a", "b", "slow", "slow", "after"]);
    assert.deepEqual(reused, ["a", "b"]);
    assert.match(summary.resumedFrom ?? "", /^run_/);
  });

  it("during the first task: nothing is reused, the first task runs again", async () => {
    const dir = project("a");
    const orphan = await killDuring(dir, "a");
    const { stderr, reused } = resume(dir);
    assert.match(
      stderr,
      /Resuming run_\w+: 0 tasks already succeeded, 1 process groups it left running stopped\./,
    );
    assert.equal(alive(orphan), false);
    assert.deepEqual(marks(dir), ["a", "a", "b", "slow", "after"]);
    assert.deepEqual(reused, []);
  });

  it("shows the run running while it runs, interrupted once its runner was killed, then who resumed it", async () => {
    const dir = project("slow");
    let during: Listed[] = [];
    await killDuring(dir, "slow", () => (during = history(dir)));
    assert.deepEqual(
      during.map((run) => [run.status, run.tasks, run.finishedAt]),
      [["running", 4, undefined]],
      "read from the live runner's journal",
    );
    const [killed] = history(dir);
    assert.deepEqual(readdirSync(join(dir, ".parex", "journal")), []);
    assert.ok(killed !== undefined);
    assert.equal(killed.id, during[0]?.id);
    assert.equal(killed.status, "interrupted", "committed from the dead runner's journal");
    // Its end as far as known: the start of `slow`, the last event its journal got.
    assert.ok((killed.finishedAt ?? 0) > killed.startedAt, JSON.stringify(killed));
    assert.equal(
      parex(dir, ["history", killed.id]),
      `${killed.id}: interrupted (its runner stopped before the run ended, last heard of at ${new Date(killed.finishedAt ?? 0).toISOString().replace("T", " ").slice(0, 19)} UTC). Resume it with \`parex run --resume ${killed.id}\`.\n`,
    );
    const [week] = JSON.parse(parex(dir, ["stats", "--json"])) as {
      runs: number;
      interrupted: number;
    }[];
    assert.deepEqual([week?.runs, week?.interrupted], [0, 1], "counted apart from finished runs");
    const { summary } = resume(dir);
    const [resumer, old] = history(dir);
    assert.deepEqual(
      [resumer?.id, resumer?.status, resumer?.resumedFrom, old?.id, old?.status, old?.resumedBy],
      [summary.runId, "succeeded", killed.id, killed.id, "interrupted", summary.runId],
    );
    assert.match(
      parex(dir, ["history", killed.id]),
      new RegExp(`Resumed by ${summary.runId}\\.\\n$`),
    );
    assert.deepEqual(
      (JSON.parse(parex(dir, ["stats", "--json"])) as { runs: number; interrupted: number }[]).map(
        (w) => [w.runs, w.interrupted],
      ),
      [[1, 1]],
    );
  });

  it("after a run that finished: nothing runs again", () => {
    const dir = project("slow");
    writeFileSync(join(dir, "resumed"), ""); // nothing hangs
    assert.equal(
      spawnSync(process.execPath, [bin, "run", "--output", "none"], { cwd: dir }).status,
      0,
    );
    const { reused } = resume(dir);
    assert.deepEqual(reused, ["a", "b", "slow", "after"]);
    assert.deepEqual(marks(dir), ["a", "b", "slow", "after"]);
  });
});
