import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Executor } from "../core/index.js";
import { attemptContext, tempDirs } from "../testing/index.js";
import { loggedExecutor } from "./logged-executor.js";

const dirs = tempDirs("parex-logged-");
after(() => dirs.removeAll());

/** An executor whose attempt prints `lines` (stdout, stderr alternately), then succeeds. */
const printing = (lines: readonly string[]): Executor<string> => ({
  execute: (_action, context) => {
    lines.forEach((line, i) => context.output(i % 2 === 0 ? "stdout" : "stderr", line));
    return Promise.resolve({ ok: true });
  },
});

describe("loggedExecutor", () => {
  it("writes each attempt's output to its log file, and passes it on", async () => {
    const dir = join(dirs.make(), "logs", "run_1");
    const { ctx, chunks } = attemptContext();
    const result = await loggedExecutor(printing(["héllo\n", "oops\n"]), dir).execute("x", ctx);
    assert.deepEqual(result, { ok: true });
    assert.deepEqual(chunks, ["stdout:héllo\n", "stderr:oops\n"]);
    assert.equal(readFileSync(join(dir, "task.1.log"), "utf8"), "héllo\noops\n");
  });

  it("writes no file for an attempt that printed nothing", async () => {
    const dir = dirs.make();
    await loggedExecutor(printing([]), dir).execute("x", attemptContext().ctx);
    assert.equal(existsSync(join(dir, "task.1.log")), false);
  });

  it("passes on every member of a context that is a class instance", async () => {
    const heard: string[] = [];
    class Context {
      readonly taskId = "task";
      readonly attempt = 1;
      readonly signal = new AbortController().signal;
      readonly results = {};
      output(): void {}
      ready(): void {
        heard.push("ready");
      }
      process(pid: number): void {
        heard.push(`process ${pid}`);
      }
      worker(id: string): void {
        heard.push(`worker ${id}`);
      }
    }
    const remote: Executor<string> = {
      execute: (_action, context) => {
        context.worker?.("ci-7/42");
        context.process(42);
        context.ready();
        return Promise.resolve({ ok: true });
      },
    };
    await loggedExecutor(remote, dirs.make()).execute("x", new Context());
    assert.deepEqual(heard, ["worker ci-7/42", "process 42", "ready"]);
  });
});
