import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../core/index.js";
import { lineReporter } from "./line-reporter.js";
import { LiveReporter, plain } from "./live-reporter.js";

const started: RunEvent = {
  runId: "r",
  type: "run.started",
  time: 0,
  tasks: ["build"],
  concurrency: 1,
  strategy: "all",
};
const strays = (attempt: number, pids: number[]): RunEvent => ({
  runId: "r",
  type: "task.strays-killed",
  time: 5,
  taskId: "build",
  attempt,
  processes: pids.map((pid) => ({ pid, command: "sleep" })),
});

describe("processes a task left behind, as the reporters say it", () => {
  it("prints one line per task's attempt, in plain lines", () => {
    const lines: string[] = [];
    const listen = lineReporter({ output: "stream", write: (text) => lines.push(text) });
    for (const event of [started, strays(1, [1234]), strays(2, [7, 8])]) listen(event);
    assert.deepEqual(lines, [
      "parex: killed 1 process left behind by task build: pid 1234 (sleep)\n",
      "parex: killed 2 processes left behind by task build (attempt 2): pid 7 (sleep), pid 8 (sleep)\n",
    ]);
  });

  it("prints it above the live status area, and after the run's end without drawing it again", () => {
    const writes: string[] = [];
    const live = new LiveReporter({
      output: "stream",
      write: (text) => writes.push(text),
      style: plain,
      refreshMs: 60_000,
    });
    live.listener(started);
    live.listener({ runId: "r", type: "run.finished", time: 10, status: "succeeded" });
    writes.length = 0;
    live.listener(strays(1, [1234]));
    // The area the end erased stays erased: just the line.
    assert.deepEqual(writes, [
      "parex: killed 1 process left behind by task build: pid 1234 (sleep)\n",
    ]);
  });
});
