import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunSummary, TaskSummary } from "../core/index.js";
import { renderFailures } from "./failures.js";

const task = (
  id: string,
  status: TaskSummary["status"],
  more: Partial<TaskSummary> = {},
): TaskSummary => ({
  id,
  status,
  attempts: status === "skipped" ? 0 : 1,
  fallbackUsed: false,
  ...more,
});
const summary = (tasks: TaskSummary[]): RunSummary =>
  ({ runId: "r", status: "failed", tasks, gates: [] }) as unknown as RunSummary;

describe("the failed section", () => {
  it("lists each failed task with its reason in words and last lines, then what did not run", () => {
    const text = renderFailures(
      summary([
        task("build", "succeeded"),
        task("lint", "failed", { reason: "spawn-error", error: "command not found: eslint" }),
        task("test", "failed", {
          reason: "exit-code",
          error: "exit code 1",
          lastLines: ["AssertionError: 1 == 2", "    at test.js:3:8"],
        }),
        task("deploy", "skipped", { reason: "dependency-failed", error: "dependency test failed" }),
      ]),
    );
    assert.deepEqual(text, [
      "failed:",
      "  ✖ lint    command not found: eslint",
      "  ✖ test    exit code 1",
      "          │ AssertionError: 1 == 2",
      "          │     at test.js:3:8",
      "  ○ deploy  skipped: dependency test failed",
    ]);
  });

  it("stays short when many tasks failed or did not run", () => {
    const tasks = [
      ...Array.from({ length: 3 }, (_, i) => task(`f${i}`, "failed", { error: "exit code 1" })),
      ...Array.from({ length: 40 }, (_, i) =>
        task(`s${i}`, "skipped", { error: "dependency f0 failed" }),
      ),
    ];
    assert.deepEqual(renderFailures(summary(tasks), { failed: 2, others: 1 }), [
      "failed:",
      "  ✖ f0  exit code 1",
      "  ✖ f1  exit code 1",
      "  … and 1 more failed",
      "  ○ s0  skipped: dependency f0 failed",
      "  … and 39 more skipped or cancelled",
    ]);
  });

  it("is empty when nothing failed, and names the reason of summaries stored before words existed", () => {
    assert.deepEqual(renderFailures(summary([task("a", "succeeded")])), []);
    assert.deepEqual(renderFailures(summary([task("a", "failed", { reason: "timeout" })])), [
      "failed:",
      "  ✖ a  timeout",
    ]);
  });
});
