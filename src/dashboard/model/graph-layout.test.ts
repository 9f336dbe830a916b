import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { labelLength, layoutGraph, layoutInput, nodeHeight } from "./graph-layout.js";

const tasks = [
  { id: "build", dependsOn: [] },
  { id: "lint", dependsOn: [] },
  { id: "test", dependsOn: ["build"] },
  { id: "deploy-to-the-production-cluster-now", dependsOn: ["test", "lint"] },
];

describe("graph layout", () => {
  it("gives dagre a node per task sized to its label, and an edge per dependency", () => {
    const input = layoutInput(tasks);
    assert.deepEqual(
      input.nodes(),
      tasks.map((t) => t.id),
    );
    assert.deepEqual(
      input.edges().map((e) => `${e.v}→${e.w}`),
      [
        "build→test",
        "test→deploy-to-the-production-cluster-now",
        "lint→deploy-to-the-production-cluster-now",
      ],
    );
    assert.deepEqual(input.node("lint"), { width: 28 + 4 * 7, height: nodeHeight });
    assert.equal((input.node(tasks[3]!.id) as { width: number }).width, 28 + labelLength * 7);
  });

  it("places every dependency left of its dependents, without overlapping boxes", () => {
    const { nodes, edges, width, height } = layoutGraph(tasks);
    const at = new Map(nodes.map((n) => [n.id, n]));
    for (const task of tasks) {
      for (const dep of task.dependsOn) {
        assert.ok(
          at.get(dep)!.x + at.get(dep)!.width <= at.get(task.id)!.x,
          `${dep} left of ${task.id}`,
        );
      }
    }
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x ||
          b.x + b.width <= a.x ||
          a.y + a.height <= b.y ||
          b.y + b.height <= a.y;
        assert.ok(apart, `${a.id} and ${b.id} do not overlap`);
      }
    }
    assert.equal(edges.length, 3);
    assert.ok(edges.every((e) => e.points.length >= 2));
    assert.ok(
      nodes.every(
        (n) => n.x >= 0 && n.y >= 0 && n.x + n.width <= width && n.y + n.height <= height,
      ),
    );
  });

  it("ignores a dependency on a task the graph does not have", () => {
    assert.deepEqual(layoutGraph([{ id: "a", dependsOn: ["gone"] }]).edges, []);
  });
});
