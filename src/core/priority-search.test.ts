import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "./graph.js";
import { remainingPath, weightsFrom } from "./plan.js";
import { searchPriorities } from "./priority-search.js";
import { readyRank } from "./ready-rank.js";
import { simulate } from "./simulate.js";

// On 2 slots the critical-path rule starts the two chains first and ends at 8; 7 (the work
// over the slots, so optimal) needs `a` at once and `d` before `c`.
const twoChains = buildGraph([
  { id: "a", run: 0 },
  { id: "b", run: 0 },
  { id: "c", run: 0, dependsOn: ["b"] },
  { id: "d", run: 0 },
  { id: "e", run: 0, dependsOn: ["d"] },
]);
const durations = { a: 4, b: 2, c: 3, d: 2, e: 3 };

describe("searchPriorities", () => {
  it("finds a shorter schedule than the critical-path rule when there is one", () => {
    const found = searchPriorities(twoChains, durations, { concurrency: 2 });
    assert.equal(found.criticalPathMs, 8);
    assert.equal(found.makespanMs, 7);
    assert.notEqual(found.rule, "critical-path");
  });

  it("is what simulate and a run use by default, while order: critical-path keeps the rule", () => {
    const searched = simulate(twoChains, durations, { concurrency: 2 });
    assert.equal(searched.makespanMs, 7);
    // `a` starts at once, and the long chain's second task waits for it: the two are the key.
    assert.equal(searched.schedule[0]?.start, 0);
    assert.deepEqual(
      searched.schedule.filter((s) => s.end === 7).map((s) => s.id),
      ["c", "e"],
    );
    const rule = simulate(twoChains, durations, { concurrency: 2, order: "critical-path" });
    assert.equal(rule.makespanMs, 8);
  });

  it("gives the same order for the same seed, within its evaluation budget", () => {
    const once = searchPriorities(twoChains, durations, { concurrency: 2, evaluations: 40 });
    const again = searchPriorities(twoChains, durations, { concurrency: 2, evaluations: 40 });
    assert.deepEqual(again.rank, once.rank);
    assert.ok(once.evaluations <= 40, `${once.evaluations} evaluations`);
  });

  it("keeps the critical-path rule when a single evaluation is allowed", () => {
    const found = searchPriorities(twoChains, durations, { concurrency: 2, evaluations: 1 });
    assert.equal(found.rule, "critical-path");
    assert.deepEqual(found.rank, remainingPath(twoChains, weightsFrom(twoChains, durations)));
    assert.equal(found.evaluations, 1);
  });

  it("does not search when no order can matter: every task fits in the slots at once", () => {
    const found = searchPriorities(twoChains, durations, { concurrency: 5 });
    assert.equal(found.evaluations, 1);
    assert.equal(found.makespanMs, 5);
  });

  it("keeps user priority first: a prioritised task starts first whatever the search prefers", () => {
    const graph = buildGraph(
      twoChains.tasks.map((t) => (t.id === "b" ? { ...t, priority: 1 } : t)),
    );
    const { schedule } = simulate(graph, durations, { concurrency: 1 });
    assert.equal(schedule[1]?.start, 0);
    assert.ok(simulate(graph, durations, { concurrency: 2 }).schedule[1]?.start === 0);
  });

  it("judges candidates on perturbed samples too, never ending up longer than the rule on the estimates", () => {
    const found = searchPriorities(twoChains, durations, { concurrency: 2, samples: 4 });
    assert.ok(found.makespanMs <= found.criticalPathMs);
    const again = searchPriorities(twoChains, durations, { concurrency: 2, samples: 4 });
    assert.deepEqual(again.rank, found.rank);
  });

  it("starts the task whose duration varies most first, when the estimates cannot choose", () => {
    // Three equal tasks on two slots: every order ends at 20 on the estimates. The one that
    // varies is better started at once than left for last, where its overrun adds to the end.
    const three = buildGraph([
      { id: "a", run: 0 },
      { id: "b", run: 0 },
      { id: "c", run: 0 },
    ]);
    const equal = { a: 10, b: 10, c: 10 };
    const last = (spreads: Record<string, number>): string => {
      const { rank } = searchPriorities(three, equal, { concurrency: 2, samples: 8, spreads });
      // The scheduler's order: higher rank first, ties in declaration order.
      const order = [0, 1, 2].sort((x, y) => (rank[y] ?? 0) - (rank[x] ?? 0) || x - y);
      return ["a", "b", "c"][order[2] ?? 0] ?? "";
    };
    assert.notEqual(last({ a: 0, b: 0, c: 1 }), "c");
    assert.notEqual(last({ a: 1, b: 0, c: 0 }), "a");
    assert.notEqual(last({ a: 0, b: 1, c: 0 }), "b");
    // Without spreads, the declaration order decides: the last declared starts last.
    assert.equal(last({ a: 0, b: 0, c: 0 }), "c");
  });

  it("rejects a budget that is not a positive integer, naming the option", () => {
    assert.throws(
      () => searchPriorities(twoChains, durations, { concurrency: 2, evaluations: 0 }),
      {
        name: "TypeError",
        message: "Expected `evaluations` to be an integer ≥ 1, got `0` (number)",
      },
    );
  });
});

describe("readyRank", () => {
  it("costs nothing without estimates: the remaining path on unit weights", () => {
    const unit = remainingPath(twoChains, weightsFrom(twoChains));
    assert.deepEqual(readyRank(twoChains, undefined, { concurrency: 2 }), unit);
    assert.deepEqual(readyRank(twoChains, {}, { concurrency: 2 }), unit);
    assert.deepEqual(readyRank(twoChains, { other: 5 }, { concurrency: 2 }), unit);
  });

  it("searches with estimates, unless the order is critical-path", () => {
    const searched = readyRank(twoChains, durations, { concurrency: 2 });
    assert.deepEqual(
      searched,
      searchPriorities(twoChains, durations, { concurrency: 2, samples: 32 }).rank,
    );
    const rule = readyRank(twoChains, durations, { concurrency: 2, order: "critical-path" });
    assert.deepEqual(rule, remainingPath(twoChains, weightsFrom(twoChains, durations)));
  });
});
