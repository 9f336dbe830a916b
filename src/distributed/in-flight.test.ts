import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AttemptResult } from "../core/index.js";
import { attemptContext } from "../testing/index.js";
import { InFlightJobs } from "./in-flight.js";
import type { TaskJob } from "./task-job.js";

const job: TaskJob = {
  v: 1,
  runId: "run_1",
  taskId: "task",
  attempt: 1,
  identity: "abc",
  workspaces: false,
  coordinator: "here/1",
};

function tracked(waitMs?: number) {
  const jobs = new InFlightJobs(waitMs);
  const { ctx, chunks } = attemptContext();
  const results: AttemptResult[] = [];
  const workers: string[] = [];
  jobs.add("j1", {
    job,
    context: { ...ctx, worker: (id) => workers.push(id) },
    resolve: (result) => results.push(result),
  });
  return { jobs, chunks, results, workers };
}

describe("InFlightJobs", () => {
  it("passes a worker's output on, and settles with the result", () => {
    const { jobs, chunks, results, workers } = tracked();
    jobs.heard({ jobId: "j1", type: "started", worker: "w/1" });
    jobs.heard({ jobId: "j1", type: "output", stream: "stdout", chunk: "hi\n" });
    jobs.settle("j1", { ok: true, worker: "w/1", chunks: 1 });
    assert.deepEqual(chunks, ["stdout:hi\n"]);
    assert.deepEqual(workers, ["w/1"]);
    assert.equal(results.length, 1);
    assert.equal(jobs.size, 0);
  });

  it("holds a result that arrived before the last of its output until that output is heard", () => {
    const { jobs, chunks, results } = tracked();
    jobs.heard({ jobId: "j1", type: "output", stream: "stdout", chunk: "a\n" });
    jobs.settle("j1", { ok: true, worker: "w/1", chunks: 2 });
    assert.equal(results.length, 0, "one message is still on its way");
    jobs.heard({ jobId: "j1", type: "output", stream: "stderr", chunk: "b\n" });
    assert.deepEqual(chunks, ["stdout:a\n", "stderr:b\n"]);
    assert.equal(results.length, 1);
  });

  it("does not wait for ever for output lost on the way", async () => {
    const { jobs, results } = tracked(5);
    jobs.settle("j1", { ok: true, worker: "w/1", chunks: 3 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(results.length, 1);
  });

  it("says who ran it when the started message was lost, and settles a job once", () => {
    const { jobs, results, workers } = tracked();
    jobs.settle("j1", { ok: true, worker: "w/2" });
    jobs.settle("j1", { ok: false, reason: "error" });
    assert.deepEqual(workers, ["w/2"]);
    assert.deepEqual(results, [{ ok: true, worker: "w/2" }]);
  });

  it("settles from the worker's own message: the result, or why it refused", () => {
    const ended = tracked();
    ended.jobs.heard({
      jobId: "j1",
      type: "ended",
      result: { ok: true, worker: "w/1", chunks: 0 },
    });
    assert.equal(ended.results.length, 1);
    const refused = tracked();
    refused.jobs.heard({ jobId: "j1", type: "refused", reason: "worker w/1 refused the job: x" });
    assert.deepEqual(refused.results, [
      {
        ok: false,
        reason: "error",
        error: { name: "WorkerRefused", message: "worker w/1 refused the job: x" },
      },
    ]);
  });
});
