import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { run } from "./run.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A task function that throws `value`, whatever it is. */
const throwing = (value: unknown) => (): never => {
  throw value;
};
/** A task function that rejects with `value`, whatever it is. */
const rejecting = (value: unknown) => async (): Promise<never> => {
  await tick();
  throw value;
};

describe("run (library)", () => {
  it("runs functions with dependencies and hands each its dependencies' results", async () => {
    const report = await run<{ user: { id: number }; orders: number[]; prefs: string }>({
      user: () => ({ id: 42 }),
      orders: { dependsOn: ["user"], run: async ({ results }) => [results.user.id, 7] },
      prefs: async () => "dark",
    });
    assert.equal(report.status, "succeeded");
    const ids: number[] = report.results.orders;
    assert.deepEqual(ids, [42, 7]);
    assert.equal(report.results.prefs, "dark");
    assert.equal(report.tasks.orders.attempts, 1);
    assert.equal(report.summary.tasks.length, 3);
    assert.deepEqual(report.summary.criticalPath.length > 0, true);
  });

  it("honours the concurrency limit", async () => {
    let running = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
    };
    await run({ a: task, b: task, c: task, d: task, e: task }, { concurrency: 2 });
    assert.equal(peak, 2);
  });

  it("runs what a high-priority task needs before lower-priority tasks", async () => {
    const order: string[] = [];
    const task = (id: string) => () => void order.push(id);
    await run(
      {
        x: task("x"),
        y: { dependsOn: ["x"], priority: 10, run: task("y") },
        z: { priority: 5, run: task("z") },
      },
      { concurrency: 1 },
    );
    assert.deepEqual(order, ["x", "y", "z"]);
  });

  it("aborts a timed-out function's signal and moves on even if the function ignores it", async () => {
    let sawAbort = false;
    const report = await run(
      {
        stuck: {
          timeoutMs: 5,
          optional: true,
          run: ({ signal }) => {
            signal.addEventListener("abort", () => (sawAbort = true));
            return new Promise(() => undefined);
          },
        },
        fine: () => 1,
      },
      { strategy: "partial" },
    );
    assert.equal(sawAbort, true);
    assert.equal(report.status, "partial");
    assert.equal(report.tasks.stuck.reason, "timeout");
  });

  it("lets an optional task fail under the default strategy without touching another's retry", async () => {
    let firstFailed!: () => void;
    const fetchFailed = new Promise<void>((resolve) => (firstFailed = resolve));
    const report = await run({
      fetch: {
        retry: { attempts: 2, initialDelayMs: 20 },
        run: ({ attempt }) => {
          if (attempt > 1) return "data";
          firstFailed();
          throw new Error("flaky");
        },
      },
      probe: {
        optional: true,
        run: async () => {
          await fetchFailed; // so it fails while fetch waits for its second attempt
          throw new Error("probe down");
        },
      },
    });
    assert.equal(report.status, "partial");
    assert.equal(report.results.fetch, "data");
    assert.equal(report.tasks.fetch.attempts, 2);
    assert.equal(report.tasks.probe.status, "failed");
  });

  it("retries, then falls back to a function's result", async () => {
    const attempts: number[] = [];
    const report = await run({
      prefs: {
        retry: { attempts: 2, initialDelayMs: 1 },
        run: ({ attempt }): string => {
          attempts.push(attempt);
          throw new Error("service down");
        },
        fallback: () => "defaults",
      },
    });
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(report.status, "succeeded");
    assert.equal(report.results.prefs, "defaults");
    assert.equal(report.tasks.prefs.fallbackUsed, true);
  });

  it("reports a thrown error as data, never as a rejection", async () => {
    const thrown = new TypeError("nope");
    const report = await run({ broken: () => Promise.reject(thrown) });
    assert.equal(report.status, "failed");
    assert.equal(report.tasks.broken.reason, "error");
    assert.deepEqual(report.tasks.broken.error, {
      name: "TypeError",
      message: "nope",
      cause: thrown,
    });
  });

  it("hands back the very value a task threw or rejected with as its error's cause", async () => {
    const coded = { code: "E_RATE", retryAfter: 3 };
    const report = await run(
      {
        text: throwing("x"),
        coded: rejecting(coded),
        error: throwing(Object.assign(new Error("gone"), { code: "ENOENT" })),
        nothing: rejecting(undefined),
      },
      { strategy: "best_effort" },
    );
    assert.deepEqual(report.tasks.text.error, { name: "Error", message: "x", cause: "x" });
    assert.equal(report.tasks.coded.error?.cause, coded);
    assert.deepEqual(report.tasks.coded.error, {
      name: "Error",
      message: '{"code":"E_RATE","retryAfter":3}',
      code: "E_RATE",
      cause: coded,
    });
    assert.equal(report.tasks.error.error?.code, "ENOENT");
    assert.ok("cause" in (report.tasks.nothing.error ?? {}));
    assert.equal(report.tasks.nothing.error?.cause, undefined);
  });

  it("keeps events and the JSON summary plain: the thrown value stays in process", async () => {
    const finished: unknown[] = [];
    const report = await run(
      { coded: rejecting({ code: "E_RATE" }) },
      { onEvent: (event) => event.type === "task.finished" && finished.push(event.task.error) },
    );
    assert.deepEqual(finished, [{ name: "Error", message: '{"code":"E_RATE"}', code: "E_RATE" }]);
    assert.equal(JSON.stringify(report.summary).includes("cause"), false);
  });

  it("treats any task id as a plain key: __proto__ and constructor hand on their results", async () => {
    const report = await run({
      ["__proto__"]: () => 1,
      constructor: () => 2,
      sum: {
        dependsOn: ["__proto__", "constructor"],
        run: ({ results }: { results: Record<string, number> }) =>
          (results["__proto__"] ?? 0) + (results["constructor"] ?? 0),
      },
    } as never);
    const results = report.results as Record<string, unknown>;
    const tasks = report.tasks as Record<string, { status: string }>;
    assert.equal(report.status, "succeeded");
    assert.equal(results["sum"], 3);
    assert.equal(Object.getPrototypeOf(results), null);
    assert.equal(Object.getPrototypeOf(tasks), null);
    assert.deepEqual(Object.keys(results), ["__proto__", "constructor", "sum"]);
    assert.equal(tasks["__proto__"]?.status, "succeeded");
  });

  it("reads a missing result as undefined whatever its id, never as Object.prototype's", async () => {
    const report = await run({ constructor: () => Promise.reject(new Error("down")) });
    assert.equal(report.status, "failed");
    assert.equal((report.results as Record<string, unknown>).constructor, undefined);
  });

  it("is cancelled through its signal", async () => {
    const controller = new AbortController();
    const done = run(
      {
        wait: ({ signal }) =>
          new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason as Error)),
          ),
      },
      { signal: controller.signal },
    );
    await tick();
    controller.abort();
    const report = await done;
    assert.equal(report.status, "cancelled");
    assert.equal(report.tasks.wait?.status, "cancelled");
  });

  it("turns a throwing event listener into a process warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const report = await run(
        { a: () => 1 },
        {
          onEvent: (event) => {
            if (event.type === "task.started") throw new Error("bad listener");
          },
        },
      );
      await tick();
      assert.equal(report.status, "succeeded");
      assert.deepEqual(warnings, ['A parex event listener threw on "task.started": bad listener']);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("refuses a timeout longer than a timer can wait, which would fire at once", async () => {
    await assert.rejects(run({ a: { run: () => 1, timeoutMs: 2 ** 31 } }), {
      code: "INVALID_TASK",
      message:
        'Task "a" has an invalid timeoutMs (tasks.a.timeoutMs): expected at most 2147483647 ms (about 24.8 days, the longest a timer can wait; leave it out for no limit), got `2147483648` (number).',
    });
  });

  it("rejects misuse with messages that say what and where", async () => {
    await assert.rejects(run({ a: 5 as never }), (error: ParexError) => {
      assert.equal(error.code, "INVALID_TASK");
      assert.equal(
        error.message,
        'Task "a" must be a function or an object with a `run` function (tasks.a), got `5` (number).',
      );
      return true;
    });
    await assert.rejects(run({ a: () => 1 }, { concurrency: 0 }), {
      name: "TypeError",
      message: "Expected `concurrency` to be an integer ≥ 1, got `0` (number)",
    });
    await assert.rejects(run({ a: () => 1 }, { strategy: "most" as never }), {
      message:
        'Expected `strategy` to be one of "all", "partial", "best_effort", got `"most"` (string)',
    });
    await assert.rejects(
      run({ build: () => 1, deploy: { dependsOn: ["biuld" as "build"], run: () => 2 } }),
      {
        message:
          'Task "deploy" depends on unknown task "biuld" (tasks.deploy.dependsOn[0]). Did you mean "build"?',
      },
    );
  });
});
