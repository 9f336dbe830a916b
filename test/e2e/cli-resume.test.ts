import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { alive } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const marks = (dir: string): string[] =>
  readFileSync(join(dir, "marks"), "utf8").trim().split("\n");

describe("resume (end to end)", () => {
  it("continues a run whose runner was SIGKILLed: nothing that succeeded runs twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-resume-"));
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({
        killGraceMs: 300,
        tasks: {
          a: "echo a >> marks",
          b: { run: "echo b >> marks", dependsOn: ["a"] },
          slow: {
            // The first time it hangs (and is left behind by the killed runner); resumed, it is quick.
            run: "echo slow >> marks; echo $$ >> pids; if [ -f resumed ]; then true; else touch resumed; sleep 30; fi",
            dependsOn: ["b"],
          },
          after: { run: "echo after >> marks", dependsOn: ["slow"] },
        },
      }),
    );
    const runner = spawn(process.execPath, [bin, "run", "-j", "1", "--output", "none"], {
      cwd: dir,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => runner.once("exit", resolve));
    for (let i = 0; i < 400; i++) {
      try {
        if (marks(dir).includes("slow")) break;
      } catch {
        // no marks yet
      }
      await sleep(25);
    }
    await sleep(300); // let the history commit the attempt in flight
    runner.kill("SIGKILL");
    await exited;
    const [orphan] = readFileSync(join(dir, "pids"), "utf8").trim().split("\n").map(Number);
    assert.ok(orphan !== undefined && alive(orphan), "the killed runner left its task running");

    const resumed = spawnSync(
      process.execPath,
      [bin, "run", "--resume", "--json", "--output", "none"],
      { cwd: dir, encoding: "utf8" },
    );
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      /Resuming run_\w+: 2 tasks already succeeded, 1 process groups it left running stopped\./,
    );
    assert.equal(alive(orphan), false, "the orphaned group was stopped");
    assert.deepEqual(marks(dir), ["a", "b", "slow", "slow", "after"]);
    const summary = JSON.parse(resumed.stdout) as {
      resumedFrom?: string;
      tasks: { id: string; reused?: boolean; attempts: number }[];
    };
    assert.match(summary.resumedFrom ?? "", /^run_/);
    assert.deepEqual(
      summary.tasks.map((t) => [t.id, t.reused === true, t.attempts]),
      [
        ["a", true, 0],
        ["b", true, 0],
        ["slow", false, 1],
        ["after", false, 1],
      ],
    );
  });
});
