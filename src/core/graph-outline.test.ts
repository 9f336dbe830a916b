import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "./graph.js";
import { graphOutline } from "./graph-outline.js";

describe("a graph's outline", () => {
  it("lists the tasks in declaration order with their dependencies, groups and estimates", () => {
    const graph = buildGraph([
      { id: "test", run: "t", dependsOn: ["build", "build"], group: "test" },
      { id: "build", run: "b", group: "build" },
      { id: "lint", run: "l" },
    ]);
    const estimates = new Map([
      ["build", 1200],
      ["gone", 5],
    ]);
    assert.deepEqual(graphOutline(graph, { concurrency: 2, estimates }), {
      concurrency: 2,
      tasks: [
        { id: "test", dependsOn: ["build"], group: "test" },
        { id: "build", dependsOn: [], group: "build", estimateMs: 1200 },
        { id: "lint", dependsOn: [] },
      ],
    });
  });

  it("gives a run without a slot limit one slot per task, which JSON can hold", () => {
    const graph = buildGraph([
      { id: "a", run: "a" },
      { id: "b", run: "b" },
    ]);
    const outline = graphOutline(graph, { concurrency: Infinity, estimates: new Map() });
    assert.equal((JSON.parse(JSON.stringify(outline)) as typeof outline).concurrency, 2);
  });
});
