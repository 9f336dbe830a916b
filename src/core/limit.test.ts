import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, it } from "node:test";
import pLimit, { limitFunction as pLimitFunction } from "p-limit";
import { limit, limitFunction } from "./limit.js";
import type { Limit, LimitOptions } from "./limit.js";

type Factory = (options: number | LimitOptions) => Limit;
const implementations: [string, Factory][] = [
  ["parex", limit],
  ["p-limit 7", pLimit as unknown as Factory],
];

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Each scenario returns a trace; parex must produce exactly p-limit's trace. */
const scenarios: Record<string, (make: Factory) => Promise<unknown>> = {
  async "counts active and pending calls as p-limit does"(make) {
    const trace: unknown[] = [];
    const lim = make(5);
    const gates = Array.from({ length: 8 }, () => deferred());
    const calls = gates.map((g) => lim(() => g.promise));
    trace.push([lim.activeCount, lim.pendingCount]);
    await Promise.resolve();
    trace.push([lim.activeCount, lim.pendingCount]);
    for (const g of gates.slice(0, 5)) g.resolve();
    await Promise.all(calls.slice(0, 5));
    trace.push([lim.activeCount, lim.pendingCount]);
    for (const g of gates.slice(5)) g.resolve();
    await Promise.all(calls);
    trace.push([lim.activeCount, lim.pendingCount]);
    return trace;
  },
  async "starts the function on a later microtask, never synchronously"(make) {
    const lim = make(2);
    let called = false;
    const done = lim(() => (called = true));
    const synchronously = called;
    await done;
    return [synchronously, called];
  },
  async "runs one at a time in call order with concurrency 1"(make) {
    const lim = make(1);
    const order: number[] = [];
    const results = await Promise.all(
      [3, 1, 2].map((n) => lim(async () => (order.push(n), n * 10))),
    );
    return [order, results];
  },
  async "passes extra arguments and goes on after a synchronous throw"(make) {
    const lim = make(1);
    const first = lim(() => {
      throw new Error("boom");
    });
    const second = lim((a: number, b: string) => `${a}${b}`, 1, "x");
    return [await first.catch((e: unknown) => (e as Error).message), await second];
  },
  async "rejects with the function's own error"(make) {
    const lim = make(2);
    const error = new Error("🦄");
    return (await lim(() => Promise.reject(error)).catch((e: unknown) => e)) === error;
  },
  async "lowers and raises concurrency while calls wait"(make) {
    const log: number[] = [];
    for (const [from, to] of [
      [4, 2],
      [2, 4],
    ] as const) {
      const lim = make(from);
      let running = 0;
      const gates: ReturnType<typeof deferred<void>>[] = [];
      const calls = Array.from({ length: 10 }, () =>
        lim(async () => {
          log.push(++running);
          const gate = deferred();
          gates.push(gate);
          await gate.promise;
          running--;
        }),
      );
      await tick();
      lim.concurrency = to;
      await tick();
      for (let gate = gates.shift(); gate !== undefined; gate = gates.shift()) {
        gate.resolve();
        await tick();
      }
      await Promise.all(calls);
      log.push(-1);
    }
    return log;
  },
  async "clears waiting calls, leaving them pending or rejecting them with AbortError"(make) {
    const trace: unknown[] = [];
    for (const rejectOnClear of [false, true]) {
      const lim = make({ concurrency: 1, rejectOnClear });
      const gate = deferred<string>();
      const active = lim(() => gate.promise);
      let settled = "pending";
      let ran = false;
      const waiting = lim(() => (ran = true));
      waiting.then(
        () => (settled = "resolved"),
        (e: unknown) => (settled = `rejected ${(e as Error).name}`),
      );
      trace.push(lim.pendingCount);
      lim.clearQueue();
      trace.push([lim.activeCount, lim.pendingCount]);
      gate.resolve("done");
      trace.push(await active);
      await tick();
      trace.push(settled, ran);
    }
    return trace;
  },
  async "keeps each caller's async context"(make) {
    const lim = make(2);
    const store = new AsyncLocalStorage<number>();
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, id) =>
        store.run(id, () =>
          lim(async () => {
            await tick();
            return store.getStore() === id;
          }),
        ),
      ),
    );
    return seen.every(Boolean);
  },
  async "maps an iterable with indices, results in order"(make) {
    const lim = make(2);
    return lim.map(new Set([5, 6, 7]), async (n: number, i: number) => `${i}:${n}`);
  },
  async "maps an array-like with indices, results in order"(make) {
    const lim = make(2);
    const arrayLike = { length: 3, 0: "a", 1: "b", 2: "c" };
    return lim.map(arrayLike, async (s: string, i: number) => `${i}:${s}`);
  },
  async "rejects a call of something that is not a function, and goes on"(make) {
    const lim = make(1);
    const bad = lim(123 as never).catch((e: unknown) => e);
    const good = lim(() => "next");
    const error = await bad;
    return [error instanceof TypeError, await good, lim.activeCount, lim.pendingCount];
  },
};

describe("limit (p-limit 7 compatible)", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}, exactly as p-limit 7 does`, async () => {
      const [ours, theirs] = await Promise.all(implementations.map(([, make]) => scenario(make)));
      assert.deepEqual(ours, theirs);
    });
  }

  it("follows a concurrency change at once (the traces compared above)", async () => {
    const log = await scenarios["lowers and raises concurrency while calls wait"]?.(limit);
    assert.deepEqual(log, [1, 2, 3, 4, 2, 2, 2, 2, 2, 2, -1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, -1]);
  });

  it("limits a function with limitFunction like p-limit", async () => {
    for (const make of [limitFunction, pLimitFunction]) {
      let running = 0;
      let peak = 0;
      const limited = make(
        async (n: number) => {
          peak = Math.max(peak, ++running);
          await tick();
          running--;
          return n * 2;
        },
        { concurrency: 3 },
      );
      assert.deepEqual(
        await Promise.all([1, 2, 3, 4, 5, 6].map((n) => limited(n))),
        [2, 4, 6, 8, 10, 12],
      );
      assert.equal(peak, 3);
    }
  });

  it("says what a call of something that is not a function got", async () => {
    await assert.rejects(limit(2)(123 as never), {
      name: "TypeError",
      message: "Expected `fn` to be a function, got `123` (number)",
    });
    await assert.rejects(limit(2).map([1], "nope" as never), {
      name: "TypeError",
      message: 'Expected `fn` to be a function, got `"nope"` (string)',
    });
  });

  it("rejects a bad concurrency with the p-queue style message", () => {
    for (const [value, text] of [
      [0, "`0` (number)"],
      [-1, "`-1` (number)"],
      [1.2, "`1.2` (number)"],
      [undefined, "`undefined` (undefined)"],
      [true, "`true` (boolean)"],
    ] as const) {
      assert.throws(() => limit(value as number), {
        name: "TypeError",
        message: `Expected \`concurrency\` to be an integer ≥ 1, got ${text}`,
      });
      assert.throws(() => pLimit(value as number), TypeError);
    }
    assert.throws(() => (limit(1).concurrency = 0), {
      message: "Expected `concurrency` to be an integer ≥ 1, got `0` (number)",
    });
    assert.doesNotThrow(() => limit(Infinity));
  });
});
