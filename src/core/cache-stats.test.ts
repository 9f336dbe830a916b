import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cacheStats } from "./cache-stats.js";
import type { RunSummary, TaskSummary } from "./summary.js";

/** A summary of tasks with the cache statuses given; `savedMs` when the run used the cache. */
function summary(cache: Record<string, TaskSummary["cache"]>, savedMs?: number): RunSummary {
  const tasks = Object.entries(cache).map(([id, status]) => ({
    id,
    status: "succeeded" as const,
    attempts: 1,
    fallbackUsed: false,
    ...(status === undefined ? {} : { cache: status }),
  }));
  return {
    tasks,
    ...(savedMs === undefined ? {} : { cache: { hits: 0, misses: 0, savedMs } }),
  } as unknown as RunSummary;
}

describe("cacheStats", () => {
  it("gives each task's hit rate over the runs it was cached in, and the time saved", () => {
    const stats = cacheStats([
      summary({ build: "miss", test: "miss", deploy: "off" }, 0),
      summary({ build: "hit", test: "miss", deploy: "off" }, 300),
      summary({ build: "hit", test: "hit", deploy: "off" }, 500),
      summary({ build: undefined, test: undefined }),
    ]);
    assert.deepEqual(stats, {
      runs: 3,
      hits: 3,
      misses: 3,
      hitRate: 0.5,
      savedMs: 800,
      tasks: [
        { id: "build", runs: 3, hits: 2, hitRate: 2 / 3 },
        { id: "test", runs: 3, hits: 1, hitRate: 1 / 3 },
      ],
    });
  });

  it("is undefined when no run used the cache", () => {
    assert.equal(cacheStats([summary({ build: undefined })]), undefined);
  });
});
