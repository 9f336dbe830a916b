import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import type { RunEvent, TaskRecord } from "../core/index.js";
import { lineReporter } from "./line-reporter.js";
import type { LineReporterOptions } from "./line-reporter.js";

const base = { runId: "r" };
const output = (taskId: string, chunk: string): RunEvent => ({
  ...base,
  type: "task.output",
  time: 1,
  taskId,
  attempt: 1,
  stream: "stdout",
  chunk,
});
const finish = (time: number, task: Partial<TaskRecord> & { id: string }): RunEvent => ({
  ...base,
  type: "task.finished",
  time,
  taskId: task.id,
  attempt: 1,
  task: {
    status: "succeeded",
    attempts: 1,
    spans: [],
    fallbackUsed: false,
    optional: false,
    ...task,
  },
});

function run(events: RunEvent[], options: Partial<LineReporterOptions> = {}): string {
  let text = "";
  const listener = lineReporter({ output: "stream", write: (t) => (text += t), ...options });
  const ids = [...new Set(events.flatMap((e) => ("taskId" in e ? [e.taskId] : [])))];
  listener({ ...base, type: "run.started", time: 0, tasks: ids, concurrency: 2, strategy: "all" });
  for (const event of events) listener(event);
  return text;
}

describe("line reporter", () => {
  it("says which distributed worker took a task", () => {
    const text = run([
      { ...base, type: "task.started", time: 0, taskId: "build", attempt: 1, slot: 0 },
      { ...base, type: "task.worker", time: 1, taskId: "build", attempt: 1, worker: "ci-7/4242" },
    ]);
    assert.equal(text, "▶ build\n↳ build on ci-7/4242\n");
  });

  it("says in words why a task failed, and which dependency kept another from running", () => {
    const graph = buildGraph([
      { id: "lint", run: 0 },
      { id: "deploy", run: 0, dependsOn: ["lint"] },
    ]);
    const text = run(
      [
        { ...base, type: "task.started", time: 0, taskId: "lint", attempt: 1, slot: 0 },
        finish(12, {
          id: "lint",
          status: "failed",
          reason: "spawn-error",
          error: { name: "SpawnError", message: "command not found: eslint" },
        }),
        finish(12, { id: "deploy", status: "skipped", reason: "dependency-failed", attempts: 0 }),
      ],
      { graph },
    );
    assert.equal(
      text,
      "▶ lint\n✖ lint failed after 12 ms: command not found: eslint\n○ deploy skipped: dependency lint failed\n",
    );
  });

  it("cuts a long line after 4 KB and says how much more the log has", () => {
    const chunks = Array.from({ length: 10_000 }, () => output("long", "y".repeat(1_000)));
    const text = run([...chunks, output("long", "\nshort\n")], { logged: true });
    assert.equal(
      text,
      `long │ ${"y".repeat(4096)}… (9.5 MB more, in the log file)\nlong │ short\n`,
    );
  });

  it("groups output per task, cut to its limit, in GitHub Actions' folds", () => {
    const events = [output("a", "one\n"), output("a", "two\nthree"), finish(5, { id: "a" })];
    assert.equal(run(events, { output: "grouped" }), "── a ──\none\ntwo\nthree\n✔ a succeeded\n");
    assert.equal(
      run(events, { output: "grouped", githubActions: true, groupLimit: 6, lineLimit: 2 }),
      "::group::a\non… (1 character more not shown)\ntw\n… (7 characters more output not shown)\n::endgroup::\n✔ a succeeded\n",
    );
  });

  it("writes an id with a line break or an escape on one line, escaped", () => {
    const id = "two\nlines\u001b[2J";
    const text = run([
      { ...base, type: "task.started", time: 0, taskId: id, attempt: 1, slot: 0 },
      output(id, "hi\n"),
      finish(3, { id }),
    ]);
    assert.equal(
      text,
      "▶ two\\nlines\\u001b[2J\ntwo\\nlines\\u001b[2J │ hi\n✔ two\\nlines\\u001b[2J succeeded 3.0 ms\n",
    );
  });
});
