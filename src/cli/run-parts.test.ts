import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AttemptContext, Command, Executor, RunSummary } from "../core/index.js";
import { closeAll, concludeWith, listenersOf, settleWith, wrapExecutor } from "./run-parts.js";
import type { EndedRun, RunPart } from "./run-parts.js";

const said: string[] = [];
const named = (name: string, inner: Executor<Command>): Executor<Command> => ({
  execute: async (action, context) => {
    said.push(`${name} before`);
    const result = await inner.execute(action, context);
    said.push(`${name} after`);
    return result;
  },
});

describe("run parts", () => {
  it("wraps the executor so that the first part's wrapper is the innermost", async () => {
    said.length = 0;
    const base: Executor<Command> = {
      execute: () => {
        said.push("process");
        return Promise.resolve({ ok: true });
      },
    };
    const parts: RunPart[] = [
      { wrap: (inner) => named("cache", inner) },
      {},
      { wrap: (inner) => named("dashboard", inner) },
    ];
    await wrapExecutor(base, parts).execute({ command: "true" }, {} as AttemptContext);
    assert.deepEqual(said, [
      "dashboard before",
      "cache before",
      "process",
      "cache after",
      "dashboard after",
    ]);
  });

  it("concludes the summary with each part in order, and lists only the listeners there are", () => {
    const parts: RunPart[] = [
      { conclude: (summary) => ({ ...summary, resumedFrom: "a" }) },
      { listener: () => undefined },
      { conclude: (summary) => ({ ...summary, resumedFrom: `${summary.resumedFrom ?? ""}b` }) },
    ];
    const summary = concludeWith(parts, {} as RunSummary, {} as EndedRun);
    assert.equal(summary.resumedFrom, "ab");
    assert.equal(listenersOf(parts).length, 1);
  });

  it("tells the parts that listen the summary as it is finally saved", () => {
    const heard: unknown[] = [];
    const settled = { runId: "r", alerts: [] } as unknown as RunSummary;
    settleWith([{}, { settled: (summary) => heard.push(summary) }], settled);
    assert.deepEqual(heard, [settled]);
  });

  it("closes every part once, in order, even after one fails, and throws the first failure", async () => {
    const closed: string[] = [];
    const parts: RunPart[] = [
      { close: () => void closed.push("history") },
      {
        close: () => {
          closed.push("cache");
          throw new Error("disk full");
        },
      },
      { close: () => Promise.reject(new Error("second")).finally(() => closed.push("server")) },
    ];
    await assert.rejects(closeAll(parts), /disk full/);
    assert.deepEqual(closed, ["history", "cache", "server"]);
  });
});
