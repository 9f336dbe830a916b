import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent, RunSummary } from "../core/index.js";
import { LastLines } from "./last-lines.js";

const base = { runId: "r", time: 0, taskId: "t" };
const output = (chunk: string): RunEvent => ({
  ...base,
  type: "task.output",
  attempt: 1,
  stream: "stdout",
  chunk,
});
const start = (attempt: number): RunEvent => ({ ...base, type: "task.started", attempt, slot: 0 });

describe("last lines of a task's output", () => {
  it("keeps the last lines of the latest attempt as a terminal would show them", () => {
    const last = new LastLines({ lines: 3, width: 20 });
    for (const event of [
      start(1),
      output("first attempt\n"),
      start(2),
      output("one\ntwo\n\x1b[31mred\x1b[0m\n"),
    ])
      last.listener(event);
    last.listener(output("10%\r50%\r100%\r\n\ttabbed\n" + "z".repeat(30) + "\n\n"));
    assert.deepEqual(last.of("t"), ["100%", "  tabbed", `${"z".repeat(19)}…`]);
    assert.deepEqual(last.of("other"), []);
  });

  it("drops the cut first line of a long output's tail, unless it is all there is", () => {
    const last = new LastLines({ lines: 2, width: 10 });
    last.listener(output("x".repeat(1_000_000)));
    assert.deepEqual(last.of("t"), ["xxxxxxxxx…"]);
    last.listener(output("\nend\n"));
    assert.deepEqual(last.of("t"), ["end"]);
  });

  it("attaches the last lines to the failed tasks of a summary", () => {
    const last = new LastLines();
    last.listener(output("boom\n"));
    const summary = {
      tasks: [
        { id: "t", status: "failed", attempts: 1, fallbackUsed: false },
        { id: "u", status: "failed", attempts: 1, fallbackUsed: false },
      ],
    } as unknown as RunSummary;
    assert.deepEqual(
      last.attach(summary).tasks.map((t) => t.lastLines),
      [["boom"], undefined],
    );
  });
});
