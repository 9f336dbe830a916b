import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jobId } from "./names.js";
import { parseTaskJob, taskIdentity } from "./task-job.js";

const job = {
  v: 1,
  runId: "run_1",
  taskId: "@app/web#build",
  attempt: 1,
  identity: "abc",
  workspaces: true,
  coordinator: "laptop/42",
};

describe("parseTaskJob", () => {
  it("takes a job of the current format as it is", () => {
    assert.deepEqual(parseTaskJob(job), job);
  });

  it("says why data is not a job, naming the field", () => {
    assert.equal(parseTaskJob("rm -rf /"), 'its data is "rm -rf /", not an object');
    assert.equal(parseTaskJob(null), "its data is null, not an object");
    assert.equal(parseTaskJob({ ...job, v: 2 }), "its format version is 2, this worker reads 1");
    assert.equal(parseTaskJob({ ...job, taskId: 7 }), 'its "taskId" is 7, not a string');
    assert.equal(parseTaskJob({ ...job, identity: "" }), 'its "identity" is "", not a string');
    assert.equal(parseTaskJob({ ...job, attempt: 0 }), 'its "attempt" is 0, not an integer ≥ 1');
    assert.equal(
      parseTaskJob({ ...job, workspaces: "yes" }),
      'its "workspaces" is "yes", not true or false',
    );
  });
});

describe("taskIdentity", () => {
  const command = { command: "tsc -b", cwd: "/home/a/repo/packages/web", env: { MODE: "prod" } };

  it("is the same for the same task in another clone of the repository", () => {
    assert.equal(
      taskIdentity(command, "/home/a/repo"),
      taskIdentity({ ...command, cwd: "/ci/work/repo/packages/web" }, "/ci/work/repo"),
    );
  });

  it("ignores variables that only say where it runs, and the order of variables", () => {
    const here = { ...command, env: { MODE: "prod", PATH: "/a/bin" }, unkeyedEnv: ["PATH"] };
    const there = { ...command, env: { PATH: "/b/bin", MODE: "prod" }, unkeyedEnv: ["PATH"] };
    assert.equal(taskIdentity(here, "/home/a/repo"), taskIdentity(there, "/home/a/repo"));
    assert.equal(taskIdentity(here, "/home/a/repo"), taskIdentity(command, "/home/a/repo"));
  });

  it("differs when the command, its directory, a variable or being a service differs", () => {
    const base = taskIdentity(command, "/home/a/repo");
    const variants = [
      { ...command, command: "tsc -b --force" },
      { ...command, cwd: "/home/a/repo/packages/api" },
      { ...command, env: { MODE: "dev" } },
      { ...command, persistent: true },
    ];
    for (const variant of variants) assert.notEqual(taskIdentity(variant, "/home/a/repo"), base);
  });
});

describe("jobId", () => {
  it("is one id per run, attempt, command and task, with no colon (BullMQ refuses them)", () => {
    const id = jobId("run_1", "@app/web#build", 2, "0123456789abcdef");
    assert.equal(id, "run_1.2.0123456789ab.QGFwcC93ZWIjYnVpbGQ");
    assert.doesNotMatch(jobId("run_1", "a:b:c", 1, "ff"), /:/);
    assert.notEqual(jobId("run_1", "a", 1, "ff"), jobId("run_1", "a", 2, "ff"));
    assert.notEqual(jobId("run_1", "a", 1, "ff"), jobId("run_1", "a", 1, "ee"));
  });
});
