import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FrameBatch } from "./frame-batch.js";

describe("FrameBatch", () => {
  it("hands every item pushed before a tick over in one batch, in order, scheduling one tick", () => {
    const ticks: (() => void)[] = [];
    const batches: number[][] = [];
    const batch = new FrameBatch<number>(
      (run) => ticks.push(run),
      (items) => batches.push([...items]),
    );
    for (let i = 0; i < 1000; i++) batch.push(i);
    assert.equal(ticks.length, 1, "one frame for 1,000 items");
    assert.equal(batch.pending, 1000);
    ticks.shift()?.();
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]?.slice(0, 3), [0, 1, 2]);
    assert.deepEqual(
      batches.map((b) => b.length),
      [1000],
    );
    assert.equal(batch.pending, 0);
  });

  it("puts an item pushed while a batch is handed over into the next batch", () => {
    const ticks: (() => void)[] = [];
    const batches: string[][] = [];
    const batch = new FrameBatch<string>(
      (run) => ticks.push(run),
      (items) => {
        batches.push([...items]);
        if (items.includes("a")) batch.push("c");
      },
    );
    batch.push("a");
    batch.push("b");
    ticks.shift()?.();
    assert.equal(ticks.length, 1, "a new tick for c");
    ticks.shift()?.();
    assert.deepEqual(batches, [["a", "b"], ["c"]]);
  });
});
