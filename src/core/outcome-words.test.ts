import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { taskRecord } from "../testing/index.js";
import { buildGraph } from "./graph.js";
import { failureInWords, OutcomeWords } from "./outcome-words.js";

describe("outcomes in words", () => {
  it("says why an attempt failed, as a person would", () => {
    const cases: [Parameters<typeof failureInWords>[0], string][] = [
      [{ reason: "exit-code", exitCode: 2 }, "exit code 2"],
      [{ reason: "exit-code", exitCode: 127 }, "exit code 127 (command not found)"],
      [{ reason: "exit-code", exitCode: 126 }, "exit code 126 (not executable)"],
      [{ reason: "signal", signal: "SIGKILL" }, "killed by SIGKILL"],
      [
        {
          reason: "spawn-error",
          error: { name: "SpawnError", message: "command not found: eslint" },
        },
        "command not found: eslint",
      ],
      [{ reason: "breaker-open" }, "refused: its circuit breaker is open"],
      [
        { reason: "error", error: { name: "TypeError", message: "x is not a function" } },
        "TypeError: x is not a function",
      ],
      [{ reason: "error", error: { name: "Error", message: "boom\n    at stack" } }, "boom"],
      [
        {
          reason: "timeout",
          error: {
            name: "NotReadyError",
            message: "not ready after 30000 ms: waited for port 5432",
          },
        },
        "not ready after 30000 ms: waited for port 5432",
      ],
    ];
    for (const [facts, words] of cases) assert.equal(failureInWords(facts), words);
    const timedOut = {
      reason: "timeout",
      error: { name: "TimeoutError", message: "Attempt timed out after 5000 ms" },
    } as const;
    assert.equal(failureInWords(timedOut, 5000), "timed out after 5 s");
    assert.equal(failureInWords(timedOut, 1500), "timed out after 1.5 s");
    assert.equal(failureInWords(timedOut, 250), "timed out after 250 ms");
  });

  it("names the dependency that kept a task from running, and the failure behind a chain of skips", () => {
    const graph = buildGraph([
      { id: "deploy", run: 0, dependsOn: ["test"] },
      { id: "test", run: 0, dependsOn: ["build", "lint"] },
      { id: "lint", run: 0 },
      { id: "build", run: 0, timeoutMs: 60_000 },
    ]);
    const words = new OutcomeWords(graph);
    const lint = taskRecord("lint", 0, 10);
    const build = taskRecord("build", 0, 60_000, {
      status: "failed",
      reason: "timeout",
      attempts: 2,
      error: { name: "TimeoutError", message: "Attempt timed out after 60000 ms" },
    });
    const skipped = {
      status: "skipped",
      reason: "dependency-failed",
      attempts: 0,
      spans: [],
    } as const;
    assert.equal(words.of(lint), undefined);
    assert.equal(words.of(build), "timed out after 60 s (after 2 attempts)");
    assert.equal(words.of(taskRecord("test", 0, 0, skipped)), "dependency build failed");
    assert.equal(
      words.of(taskRecord("deploy", 0, 0, skipped)),
      "dependency test was skipped (build failed)",
    );
  });

  it("says a cancelled task was stopped by the first failure, or by the run's cancellation", () => {
    const cancelled = { status: "cancelled", reason: "aborted" } as const;
    const words = new OutcomeWords();
    assert.equal(words.of(taskRecord("a", 0, 5, cancelled)), "the run was cancelled");
    words.note(taskRecord("b", 0, 5, { status: "failed", reason: "exit-code", exitCode: 1 }));
    assert.equal(words.of(taskRecord("c", 0, 5, cancelled)), "the run stopped after b failed");
  });
});
