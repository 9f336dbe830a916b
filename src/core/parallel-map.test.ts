import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parallelMap } from "./parallel-map.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A mapper whose calls the test ends one by one. */
function gated() {
  const pending: {
    item: number;
    signal: AbortSignal;
    resolve: (v: number) => void;
    reject: (e: Error) => void;
  }[] = [];
  const fn = (item: number, _index: number, signal: AbortSignal) =>
    new Promise<number>((resolve, reject) => pending.push({ item, signal, resolve, reject }));
  return { fn, pending };
}

describe("parallelMap", () => {
  it("keeps input order whatever order the calls end in", async () => {
    const { fn, pending } = gated();
    const done = parallelMap([1, 2, 3], fn, { concurrency: 3 });
    await tick();
    for (const call of [...pending].reverse()) call.resolve(call.item * 10);
    assert.deepEqual(await done, [10, 20, 30]);
  });

  it("has at most `concurrency` calls in flight and pulls the next item when one ends", async () => {
    const { fn, pending } = gated();
    const done = parallelMap([1, 2, 3, 4, 5], fn, { concurrency: 2 });
    await tick();
    assert.deepEqual(
      pending.map((c) => c.item),
      [1, 2],
    );
    pending[1]?.resolve(0);
    await tick();
    assert.deepEqual(
      pending.map((c) => c.item),
      [1, 2, 3],
    );
    for (let i = 0; i < 5; i++) {
      pending[i]?.resolve(0);
      await tick();
    }
    assert.equal((await done).length, 5);
  });

  it("pulls lazily from iterables and async iterables", async () => {
    let pulled = 0;
    function* numbers() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const { fn, pending } = gated();
    const done = parallelMap(numbers(), fn, { concurrency: 3 });
    await tick();
    assert.equal(pulled, 3);
    while (pending.length < 100) {
      for (const call of pending) call.resolve(call.item);
      await tick();
    }
    for (const call of pending) call.resolve(call.item);
    assert.deepEqual(
      await done,
      Array.from({ length: 100 }, (_, i) => i),
    );
    async function* later() {
      yield "a";
      await tick();
      yield "b";
    }
    assert.deepEqual(await parallelMap(later(), (s, i) => `${i}${s}`, { concurrency: 2 }), [
      "0a",
      "1b",
    ]);
  });

  it("stops at the first error: no new items, in-flight calls see the abort, the error is thrown", async () => {
    const { fn, pending } = gated();
    const done = parallelMap([1, 2, 3, 4], fn, { concurrency: 2 });
    await tick();
    const error = new Error("bad record");
    pending[0]?.reject(error);
    await tick();
    assert.equal(pending[1]?.signal.aborted, true);
    assert.equal(pending.length, 2);
    pending[1].resolve(0);
    await assert.rejects(done, error);
  });

  it("collects every error with stopOnError false", async () => {
    const done = parallelMap(
      [1, 2, 3],
      async (n) => {
        if (n !== 2) throw new Error(`item ${n}`);
        return n;
      },
      { stopOnError: false },
    );
    await assert.rejects(done, (error: AggregateError) => {
      assert.equal(error.message, "2 items failed");
      assert.deepEqual(
        error.errors.map((e: Error) => e.message),
        ["item 1", "item 3"],
      );
      return true;
    });
  });

  it("stops pulling when its signal aborts and rejects with the reason", async () => {
    const controller = new AbortController();
    const { fn, pending } = gated();
    const done = parallelMap([1, 2, 3], fn, { concurrency: 1, signal: controller.signal });
    await tick();
    controller.abort(new Error("user cancelled"));
    assert.equal(pending[0]?.signal.aborted, true);
    pending[0].resolve(0);
    await assert.rejects(done, { message: "user cancelled" });
    assert.equal(pending.length, 1);
  });

  it("rejects bad options with the p-queue style message", async () => {
    await assert.rejects(
      parallelMap([1], (n) => n, { concurrency: 0 }),
      {
        name: "TypeError",
        message: "Expected `concurrency` to be an integer ≥ 1, got `0` (number)",
      },
    );
    await assert.rejects(parallelMap([1], "nope" as never), {
      message: 'Expected `fn` to be a function, got `"nope"` (string)',
    });
  });

  it("maps array-likes and strings as limit.map does, and says what else it got", async () => {
    const arrayLike = { length: 2, 0: "a", 1: "b" };
    assert.deepEqual(await parallelMap(arrayLike, (s, i) => `${i}:${s}`), ["0:a", "1:b"]);
    assert.deepEqual(await parallelMap("ab", (s) => s.toUpperCase()), ["A", "B"]);
    await assert.rejects(
      parallelMap(5 as never, (n) => n),
      {
        name: "TypeError",
        message:
          "Expected `items` to be an array, an iterable, an async iterable or an array-like, got `5` (number)",
      },
    );
  });
});
