import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "./graph.js";
import {
  criticalPath,
  effectivePriorities,
  levels,
  remainingPath,
  waves,
  weightsFrom,
} from "./plan.js";

// seed 000: three domains, then call routes after call, compliance and financial after buyer/seller
const seed = buildGraph([
  { id: "buyer", run: 0 },
  { id: "seller", run: 0 },
  { id: "call", run: 0 },
  { id: "call-routes", run: 0, dependsOn: ["call"] },
  { id: "compliance", run: 0, dependsOn: ["buyer", "seller"] },
  { id: "financial", run: 0, dependsOn: ["buyer", "seller"] },
]);
const minutes = { buyer: 3, seller: 3, call: 3, "call-routes": 11, compliance: 11, financial: 9 };

describe("planning", () => {
  it("groups tasks into waves by topological level", () => {
    assert.deepEqual(waves(seed), [
      ["buyer", "seller", "call"],
      ["call-routes", "compliance", "financial"],
    ]);
    assert.deepEqual([...levels(seed)], [0, 0, 0, 1, 1, 1]);
  });

  it("finds the critical path by estimated durations", () => {
    const path = criticalPath(seed, weightsFrom(seed, minutes));
    assert.deepEqual(path, { path: ["buyer", "compliance"], length: 14 });
  });

  it("uses unit weights when nothing is known, and the mean of known estimates for the rest", () => {
    assert.deepEqual([...weightsFrom(seed)], [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(
      [
        ...weightsFrom(
          seed,
          new Map([
            ["buyer", 2],
            ["call", 4],
          ]),
        ),
      ],
      [2, 3, 4, 3, 3, 3],
    );
  });

  it("reads only an estimates object's own keys", () => {
    const graph = buildGraph([
      { id: "a", run: 0 },
      { id: "b", run: 0 },
    ]);
    const inherited = Object.assign(Object.create({ b: 100 }) as Record<string, number>, { a: 4 });
    assert.deepEqual([...weightsFrom(graph, inherited)], [4, 4]);
  });

  it("gives each task the highest priority of itself and every task depending on it", () => {
    const graph = buildGraph([
      { id: "base", run: 0 },
      { id: "lib", run: 0, dependsOn: ["base"], priority: -3 },
      { id: "app", run: 0, dependsOn: ["lib"], priority: 10 },
      { id: "docs", run: 0, dependsOn: ["base"], priority: 2 },
      { id: "late", run: 0, priority: -1 },
    ]);
    assert.deepEqual([...effectivePriorities(graph)], [10, 10, 10, 2, -1]);
  });

  it("measures the remaining path from each task to the end of the graph", () => {
    assert.deepEqual([...remainingPath(seed, weightsFrom(seed, minutes))], [14, 14, 14, 11, 11, 9]);
  });
});
