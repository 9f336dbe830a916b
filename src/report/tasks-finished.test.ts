import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../core/index.js";
import { lineReporter } from "./line-reporter.js";
import { LiveReporter, plain } from "./live-reporter.js";

const started: RunEvent = {
  runId: "r",
  type: "run.started",
  time: 0,
  tasks: ["a", "b", "c", "d", "e", "f", "g"],
  concurrency: 1,
  strategy: "all",
};

const together = (
  taskIds: string[],
  how: Pick<Extract<RunEvent, { type: "tasks.finished" }>, "status" | "reason" | "dependency"> = {
    status: "cancelled",
    reason: "aborted",
  },
): RunEvent => ({ runId: "r", type: "tasks.finished", time: 5, taskIds, ...how });

describe("tasks that end together", () => {
  it("take one line in plain output, the first ids named", () => {
    const lines: string[] = [];
    const listener = lineReporter({ output: "stream", write: (text) => lines.push(text) });
    listener(started);
    listener(together(["b"]));
    listener(together(["a", "b", "c", "d", "e", "f", "g"]));
    assert.deepEqual(lines, [
      "○ b cancelled: the run was cancelled\n",
      "○ a, b, c, d, e and 2 more cancelled: the run was cancelled\n",
    ]);
  });

  it("name the failure that skipped them, or that stopped the run", () => {
    const lines: string[] = [];
    const listener = lineReporter({ output: "none", write: (text) => lines.push(text) });
    listener(started);
    listener({
      runId: "r",
      type: "task.finished",
      time: 4,
      taskId: "a",
      attempt: 1,
      task: {
        id: "a",
        status: "failed",
        reason: "exit-code",
        exitCode: 2,
        attempts: 1,
        spans: [],
        fallbackUsed: false,
        optional: false,
      },
    });
    listener(
      together(["b", "c"], { status: "skipped", reason: "dependency-failed", dependency: "a" }),
    );
    listener(together(["d"]));
    assert.deepEqual(lines, [
      "✖ a failed: exit code 2\n",
      "○ b, c skipped: a failed\n",
      "○ d cancelled: the run stopped after a failed\n",
    ]);
  });

  it("count as done in the live view's status area", () => {
    const writes: string[] = [];
    const live = new LiveReporter({
      output: "stream",
      write: (text) => writes.push(text),
      style: plain,
      refreshMs: 60_000,
    });
    live.listener(started);
    live.listener(together(["b", "c", "d"]));
    assert.equal(
      writes.at(-1),
      "\x1b[1F\x1b[0J○ b, c, d cancelled: the run was cancelled\n0 running · 4 queued · 3 done · 0 failed\n",
    );
    live.listener({ runId: "r", type: "run.finished", time: 6, status: "cancelled" });
  });
});
