import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { TaskJob } from "../distributed/index.js";
import { tempDirs } from "../testing/index.js";
import { projectLookup } from "./worker-lookup.js";

const dirs = tempDirs("parex-worker-lookup-");
after(() => dirs.removeAll());

const job = (taskId: string): TaskJob => ({
  v: 1,
  runId: "run_1",
  taskId,
  attempt: 1,
  identity: "x",
  workspaces: false,
  coordinator: "here/1",
});

function project(tasks: object): string {
  const dir = dirs.make();
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  return dir;
}

describe("a worker's lookup of a job's task", () => {
  it("finds the task's command and its fallback's, in the worker's own config", async () => {
    const dir = project({ deploy: { run: "ship", fallback: "ship --safe" } });
    const found = await projectLookup(undefined, dir)(job("deploy"), false);
    assert.ok(typeof found !== "string");
    assert.deepEqual(
      found.commands.map((c) => c.command),
      ["ship", "ship --safe"],
    );
    assert.equal(found.projectDir, dir);
  });

  it("says when the config has no such task", async () => {
    const dir = project({ build: { run: "tsc" } });
    assert.equal(
      await projectLookup(undefined, dir)(job("steal"), false),
      'this worker\'s config has no task "steal"',
    );
  });

  it("finds a task of a config whose other tasks form a cycle, as parex run TASK would", async () => {
    const dir = project({
      build: { run: "tsc" },
      a: { run: "a", dependsOn: ["b"] },
      b: { run: "b", dependsOn: ["a"] },
    });
    const found = await projectLookup(undefined, dir)(job("build"), false);
    assert.ok(typeof found !== "string", typeof found === "string" ? found : "");
  });

  it("reads the config again when asked for it fresh", async () => {
    const dir = project({ build: { run: "tsc" } });
    const lookup = projectLookup(undefined, dir);
    await lookup(job("build"), false);
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({ tasks: { build: { run: "tsc -b" } } }),
    );
    const cached = await lookup(job("build"), false);
    const fresh = await lookup(job("build"), true);
    assert.ok(typeof cached !== "string" && typeof fresh !== "string");
    assert.equal(cached.commands[0]?.command, "tsc");
    assert.equal(fresh.commands[0]?.command, "tsc -b");
  });
});
