import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { GraphOutline } from "../core/index.js";
import { dashboardDir } from "./dashboard-dir.js";
import { GraphLayouts, keptFrom } from "./graph-layouts.js";

/** `size` tasks in layers of 10, each after one of the layer before. */
function outline(size: number, prefix = "t"): GraphOutline {
  const tasks = Array.from({ length: size }, (_, i) => ({
    id: `${prefix}${i}`,
    dependsOn: i < 10 ? [] : [`${prefix}${i - 10}`],
  }));
  return { concurrency: 4, tasks };
}

const parexDir = (): string => mkdtempSync(join(tmpdir(), "parex-layouts-"));
const built = dashboardDir({});

describe("graph layouts kept beside the history", () => {
  it("lays a graph out in a worker thread with the dashboard's own layout, and keeps it for the same graph only", async () => {
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, built);
    assert.ok(layouts, `${built} has the layout worker (npm run build)`);
    const graph = outline(keptFrom);
    assert.equal(layouts.withLayout(graph).layout, undefined, "none before the first run");
    await layouts.layOut(graph);
    const layout = layouts.withLayout(graph).layout;
    assert.ok(layout);
    assert.deepEqual(
      layout.nodes.map((n) => n.id),
      graph.tasks.map((t) => t.id),
    );
    assert.equal(layout.edges.length, keptFrom - 10);
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const edge of layout.edges) {
      assert.ok(at.get(edge.from)!.x < at.get(edge.to)!.x, `${edge.from} left of ${edge.to}`);
    }
    assert.deepEqual(readdirSync(join(dir, "layouts")).length, 1);

    const again = GraphLayouts.open(dir, built)!;
    assert.deepEqual(
      again.withLayout({ ...graph, concurrency: 8 }).layout,
      layout,
      "any run of it",
    );
    const changed = outline(keptFrom);
    (changed.tasks[keptFrom - 1]!.dependsOn as string[]).push("t0");
    assert.equal(again.withLayout(changed).layout, undefined, "another graph is not this one");
    assert.equal(again.withLayout(outline(keptFrom - 1)).layout, undefined, "too small to keep");
  });

  it("keeps the 16 written last", async () => {
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, built)!;
    for (let i = 0; i < 17; i++) await layouts.layOut(outline(keptFrom, `g${i}-`));
    assert.equal(readdirSync(join(dir, "layouts")).length, 16);
    assert.ok(layouts.withLayout(outline(keptFrom, "g16-")).layout);
  });

  it("keeps nothing when the layout fails, and needs a built dashboard", async () => {
    const dashboard = mkdtempSync(join(tmpdir(), "parex-broken-dashboard-"));
    assert.equal(GraphLayouts.open(parexDir(), dashboard), undefined, "no build: no layouts");
    mkdirSync(join(dashboard, ".vite"));
    writeFileSync(
      join(dashboard, ".vite", "manifest.json"),
      JSON.stringify({ w: { file: "broken.js", name: "layout-worker", isWorker: true } }),
    );
    writeFileSync(
      join(dashboard, "broken.js"),
      'globalThis.onmessage = () => { throw new Error("no layout"); };',
    );
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, dashboard)!;
    await layouts.layOut(outline(keptFrom));
    assert.equal(layouts.withLayout(outline(keptFrom)).layout, undefined);
    assert.deepEqual(readdirSync(dir), []);
  });
});
