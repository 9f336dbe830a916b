import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { edgeKey } from "./critical-path.js";
import type { GraphLayout, NodeBox } from "./graph-layout.js";
import { chunkEnd, pathOf, tilePadPx, tilesInView, tilesOf, touches } from "./graph-tiles.js";

const node = (id: string, y: number): NodeBox => ({ id, x: 10, y, width: 50, height: 24 });

const layout: GraphLayout = {
  nodes: [node("a", 4), node("b", 36), node("c", 390), node("d", 900), node("e", 1000)],
  edges: [
    {
      from: "a",
      to: "c",
      points: [
        { x: 60, y: 16 },
        { x: 80.25, y: 402 },
      ],
    },
    {
      from: "b",
      to: "e",
      points: [
        { x: 60, y: 48 },
        { x: 70, y: 500 },
        { x: 80, y: 1012 },
      ],
    },
    {
      from: "a",
      to: "b",
      points: [
        { x: 60, y: 16 },
        { x: 61, y: 48 },
      ],
    },
  ],
  width: 200,
  height: 1030,
};

describe("graph tiles", () => {
  it("cuts the layout into bands by each node's top, skipping empty bands", () => {
    const tiles = tilesOf(layout, 400);
    assert.deepEqual(
      tiles.map((t) => ({ index: t.index, ids: t.nodes.map((n) => n.id) })),
      [
        { index: 0, ids: ["a", "b", "c"] },
        { index: 1, ids: ["d", "e"] },
      ],
    );
  });

  it("spans each tile from its highest node's top to its lowest node's bottom, with room around", () => {
    const [first, second] = tilesOf(layout, 400);
    const pad = tilePadPx;
    assert.deepEqual([first?.top, first?.height], [4 - pad, 390 + 24 - 4 + 2 * pad]);
    assert.deepEqual([second?.top, second?.height], [900 - pad, 1000 + 24 - 900 + 2 * pad]);
  });

  it("puts each edge in the tile of the task it points to, with its SVG path", () => {
    const [first, second] = tilesOf(layout, 400);
    assert.deepEqual(first!.ids, new Set(["a", "b", "c"]));
    assert.deepEqual(first!.edgeKeys, new Set([edgeKey("a", "c"), edgeKey("a", "b")]));
    assert.deepEqual(first!.edges, [
      { key: edgeKey("a", "c"), d: "M60.0 16.0 L80.3 402.0" },
      { key: edgeKey("a", "b"), d: "M60.0 16.0 L61.0 48.0" },
    ]);
    assert.deepEqual(second?.edges, [
      { key: edgeKey("b", "e"), d: "M60.0 48.0 L70.0 500.0 L80.0 1012.0" },
    ]);
    assert.equal(pathOf({ from: "x", to: "y", points: [] }), "");
  });

  it("draws chunks of tiles up to a budget of nodes, at least one tile each", () => {
    const tiles = tilesOf(layout, 100);
    assert.deepEqual(
      tiles.map((t) => t.nodes.length),
      [2, 1, 1, 1],
    );
    assert.equal(chunkEnd(tiles, 0, 3), 2);
    assert.equal(chunkEnd(tiles, 0, 1), 1, "a tile over the budget still goes alone");
    assert.equal(chunkEnd(tiles, 2, 10), 4);
    assert.equal(chunkEnd(tiles, 4, 10), 4, "nothing left");
  });

  it("counts the tiles that start within the graph's box, one at least", () => {
    const tiles = tilesOf(layout, 100); // tops 1, 387, 897, 997
    assert.equal(tilesInView(tiles, 640), 2);
    assert.equal(tilesInView(tiles, 1), 1, "the first tile, even past the box");
    assert.equal(tilesInView(tiles, 5000), 4);
    assert.equal(tilesInView([], 640), 0);
  });

  it("tells whether a new critical path changes any of some keys", () => {
    const before = new Set(["a", "b"]);
    assert.equal(touches(new Set(["c", "d"]), before, new Set(["a", "b", "x"])), false);
    assert.equal(touches(new Set(["c", "b"]), before, new Set(["a"])), true);
    assert.equal(touches(new Set(["d"]), before, new Set(["d"])), true);
    assert.equal(touches(new Set(["a"]), before, before), false);
  });
});
