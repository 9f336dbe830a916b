import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { exactOrder, exactOrderFits } from "./exact-order.js";
import { buildGraph } from "./graph.js";
import type { TaskGraph } from "./graph.js";
import { makespanOf } from "./makespan-of.js";
import { weightsFrom } from "./plan.js";
import { searchPriorities } from "./priority-search.js";
import type { TaskSpec } from "./task-spec.js";

/** A rank that makes the scheduler prefer tasks in `order`, first highest. */
function rankOf(order: readonly number[], n: number): Float64Array {
  const rank = new Float64Array(n);
  order.forEach((task, i) => (rank[task] = n - i));
  return rank;
}

/** Every permutation of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

/** The shortest schedule the real scheduler reaches over every priority list. */
function bruteForce(graph: TaskGraph, weights: Float64Array, slots: number): number {
  const n = graph.tasks.length;
  let best = Infinity;
  for (const list of permutations(n)) {
    const makespan = makespanOf(graph, weights, { concurrency: slots, rank: rankOf(list, n) });
    best = Math.min(best, makespan);
  }
  return best;
}

const twoChains = buildGraph([
  { id: "a", run: 0 },
  { id: "b", run: 0 },
  { id: "c", run: 0, dependsOn: ["b"] },
  { id: "d", run: 0 },
  { id: "e", run: 0, dependsOn: ["d"] },
]);
const twoChainsWeights = weightsFrom(twoChains, { a: 4, b: 2, c: 3, d: 2, e: 3 });

/** Random DAGs of up to 6 tasks (every priority list can be tried) and a slot count. */
const tinyDags = fc
  .record({
    slots: fc.integer({ min: 1, max: 3 }),
    tasks: fc.array(
      fc.record({
        deps: fc.array(fc.nat(), { maxLength: 2 }),
        duration: fc.integer({ min: 0, max: 40 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ slots, tasks }) => {
    const specs: TaskSpec<null>[] = tasks.map((t, i) => ({
      id: `t${i}`,
      run: null,
      dependsOn: i === 0 ? [] : [...new Set(t.deps.map((d) => `t${d % i}`))],
    }));
    const graph = buildGraph(specs);
    return { graph, slots, weights: Float64Array.from(tasks, (t) => t.duration) };
  });

describe("exactOrder", () => {
  it("finds the shortest list schedule, which the critical-path rule misses", () => {
    const found = exactOrder(twoChains, twoChainsWeights, {
      slots: 2,
      incumbentMs: Infinity,
      nodes: 10_000,
    });
    assert.equal(found.makespanMs, 7);
    assert.equal(found.complete, true);
    assert.ok(found.order?.slice(0, 2).includes(0), "a, the longest task, starts at once");
  });

  it("offers no order when nothing beats the incumbent, and says the search was complete", () => {
    const found = exactOrder(twoChains, twoChainsWeights, {
      slots: 2,
      incumbentMs: 7,
      nodes: 10_000,
    });
    assert.equal(found.order, undefined);
    assert.equal(found.makespanMs, 7);
    assert.equal(found.complete, true);
  });

  it("stops at its node budget and says so", () => {
    const found = exactOrder(twoChains, twoChainsWeights, {
      slots: 2,
      incumbentMs: Infinity,
      nodes: 3,
    });
    assert.equal(found.complete, false);
    assert.equal(found.nodes, 3);
  });

  it("equals the best over every priority list, and the scheduler reaches it with that order", () => {
    fc.assert(
      fc.property(tinyDags, ({ graph, slots, weights }) => {
        const found = exactOrder(graph, weights, {
          slots,
          incumbentMs: Infinity,
          nodes: 1_000_000,
        });
        assert.equal(found.complete, true);
        assert.equal(found.makespanMs, bruteForce(graph, weights, slots));
        const order = found.order ?? [];
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          [...graph.tasks.keys()],
        );
        const rank = rankOf(order, graph.tasks.length);
        assert.equal(makespanOf(graph, weights, { concurrency: slots, rank }), found.makespanMs);
      }),
      { numRuns: 150 },
    );
  });

  it("applies only where the scheduler is plain list scheduling", () => {
    assert.equal(exactOrderFits(twoChains), true);
    for (const extra of [{ mutex: "db" }, { priority: 1 }, { slots: 2 }]) {
      const graph = buildGraph([
        { id: "a", run: 0, ...extra },
        { id: "b", run: 0 },
      ]);
      assert.equal(exactOrderFits(graph), false, JSON.stringify(extra));
    }
  });
});

describe("searchPriorities on tiny graphs", () => {
  it("reaches the best list schedule within its default budget", () => {
    fc.assert(
      fc.property(tinyDags, ({ graph, slots, weights }) => {
        const durations = Object.fromEntries(graph.tasks.map((t, i) => [t.id, weights[i] ?? 0]));
        const found = searchPriorities(graph, durations, { concurrency: slots, samples: 4 });
        assert.equal(found.makespanMs, bruteForce(graph, weights, slots));
      }),
      { numRuns: 100 },
    );
  });
});
