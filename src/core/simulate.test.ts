import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "./graph.js";
import { scalability, simulate, simulateWaves } from "./simulate.js";

const longTaskFirst = buildGraph(["a", "b", "c", "d", "long"].map((id) => ({ id, run: id })));
const durations = { a: 1000, b: 1000, c: 1000, d: 1000, long: 4000 };

describe("simulate", () => {
  it("starts the long task first when it knows the durations (4 s on 2 slots)", () => {
    const warm = simulate(longTaskFirst, durations, { concurrency: 2 });
    assert.equal(warm.makespanMs, 4000);
    assert.deepEqual(warm.schedule[4], { id: "long", slot: 0, start: 0, end: 4000 });
  });

  it("takes declaration order when it knows nothing (6 s on 2 slots: the long task is last)", () => {
    const cold = simulate(longTaskFirst, durations, { concurrency: 2, estimates: {} });
    assert.equal(cold.makespanMs, 6000);
  });

  it("predicts a wave-barrier runner, where one slow task holds up the next level", () => {
    const graph = buildGraph([
      { id: "slow", run: 0 },
      { id: "fast", run: 0 },
      { id: "after-fast", run: 0, dependsOn: ["fast"] },
    ]);
    const model = { slow: 10, fast: 1, "after-fast": 5 };
    assert.equal(simulateWaves(graph, model, 2).makespanMs, 15);
    assert.equal(simulate(graph, model, { concurrency: 2 }).makespanMs, 10);
  });

  it("draws a scalability curve from 1 to N slots against the lower bound", () => {
    const curve = scalability(longTaskFirst, durations, 3);
    assert.deepEqual(
      curve.map((p) => [
        p.slots,
        p.makespanMs,
        p.searchedMakespanMs,
        p.waveMakespanMs,
        p.lowerBoundMs,
      ]),
      [
        [1, 8000, 8000, 8000, 8000],
        [2, 4000, 4000, 6000, 4000],
        [3, 4000, 4000, 5000, 4000],
      ],
    );
    assert.equal(curve[1]?.speedup, 2);
  });

  it("gives the searched order's makespan beside the critical-path rule's at each slot count", () => {
    // On 2 slots the rule starts the two chains first (8); the search starts `a` at once (7).
    const graph = buildGraph([
      { id: "a", run: 0 },
      { id: "b", run: 0 },
      { id: "c", run: 0, dependsOn: ["b"] },
      { id: "d", run: 0 },
      { id: "e", run: 0, dependsOn: ["d"] },
    ]);
    const curve = scalability(graph, { a: 4, b: 2, c: 3, d: 2, e: 3 }, 2);
    assert.deepEqual(
      curve.map((p) => [p.slots, p.makespanMs, p.searchedMakespanMs]),
      [
        [1, 14, 14],
        [2, 8, 7],
      ],
    );
  });

  it("leaves the searched column out of the curve of a graph over 120 tasks", () => {
    const ids = Array.from({ length: 121 }, (_, i) => `t${i}`);
    const graph = buildGraph(ids.map((id) => ({ id, run: 0 })));
    const curve = scalability(graph, Object.fromEntries(ids.map((id, i) => [id, i + 1])), 2);
    assert.deepEqual(
      curve.map((p) => p.searchedMakespanMs),
      [undefined, undefined],
    );
    assert.equal(curve[0]?.makespanMs, (121 * 122) / 2);
  });
});
