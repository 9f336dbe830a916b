import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "./graph.js";
import type { TaskSpec } from "./task-spec.js";

const build = (extra: Partial<TaskSpec>): void => {
  buildGraph([{ id: "a", run: "a", ...extra }], { source: "parex.config.json" });
};

const longest = 2 ** 31 - 1;
const past = "at most 2147483647 ms (about 24.8 days, the longest a timer can wait";

describe("task policies that wait on a timer", () => {
  it("accepts every duration up to the longest timer", () => {
    build({
      timeoutMs: longest,
      retry: { attempts: 1_000, initialDelayMs: longest, maxDelayMs: longest },
      breaker: { resetAfterMs: longest },
    });
  });

  it("refuses a timeout a timer cannot wait for, instead of timing out at once", () => {
    for (const value of [2 ** 31, 1e12, Infinity]) {
      assert.throws(() => build({ timeoutMs: value }), {
        code: "INVALID_TASK",
        message: `Task "a" has an invalid timeoutMs (parex.config.json, tasks.a.timeoutMs): expected ${past}; leave it out for no limit), got \`${value}\` (number).`,
      });
    }
    assert.throws(() => build({ timeoutMs: 0 }), {
      message:
        'Task "a" has an invalid timeoutMs (parex.config.json, tasks.a.timeoutMs): expected a number of ms > 0, got `0` (number).',
    });
  });

  it("refuses retry delays and a breaker cool-down past the longest timer", () => {
    assert.throws(() => build({ retry: { attempts: 2, initialDelayMs: 2 ** 31 } }), {
      message: `Task "a" has an invalid retry.initialDelayMs (parex.config.json, tasks.a.retry.initialDelayMs): expected ${past}), got \`2147483648\` (number).`,
    });
    assert.throws(() => build({ retry: { attempts: 2, maxDelayMs: Infinity } }), {
      message: `Task "a" has an invalid retry.maxDelayMs (parex.config.json, tasks.a.retry.maxDelayMs): expected ${past}), got \`Infinity\` (number).`,
    });
    assert.throws(() => build({ breaker: { resetAfterMs: 2 ** 32 } }), {
      message: `Task "a" has an invalid breaker.resetAfterMs (parex.config.json, tasks.a.breaker.resetAfterMs): expected ${past}), got \`4294967296\` (number).`,
    });
    assert.throws(() => build({ retry: { attempts: 2, initialDelayMs: -1 } }), {
      message:
        'Task "a" has an invalid retry.initialDelayMs (parex.config.json, tasks.a.retry.initialDelayMs): expected a number of ms ≥ 0, got `-1` (number).',
    });
  });

  it("bounds retry attempts at 1,000", () => {
    assert.throws(() => build({ retry: { attempts: 1_001 } }), {
      message:
        'Task "a" has an invalid retry.attempts (parex.config.json, tasks.a.retry.attempts): expected an integer from 1 to 1000, got `1001` (number).',
    });
    assert.throws(() => build({ retry: { attempts: Number.MAX_SAFE_INTEGER } }), {
      code: "INVALID_TASK",
    });
  });
});
