import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
    assert.equal(layouts.has(graph), false);
    await layouts.layOut(graph).done;
    assert.equal(layouts.has(graph), true);
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

  it("keeps the 16 used last", async () => {
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, built)!;
    for (let i = 0; i < 16; i++) await layouts.layOut(outline(keptFrom, `g${i}-`)).done;
    assert.ok(layouts.withLayout(outline(keptFrom, "g0-")).layout, "g0 used again");
    assert.ok(layouts.has(outline(keptFrom, "g2-")), "g2 used again, its layout not read");
    await layouts.layOut(outline(keptFrom, "g16-")).done;
    assert.equal(readdirSync(join(dir, "layouts")).length, 16);
    assert.ok(layouts.withLayout(outline(keptFrom, "g16-")).layout, "the one written last");
    assert.ok(layouts.withLayout(outline(keptFrom, "g0-")).layout, "the one used last");
    assert.equal(layouts.withLayout(outline(keptFrom, "g1-")).layout, undefined, "g1 went");
    assert.ok(layouts.has(outline(keptFrom, "g2-")));
  });

  it("gives a kept file only to the graph it lays out", async () => {
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, built)!;
    const graph = outline(keptFrom);
    await layouts.layOut(graph).done;
    const [name = ""] = readdirSync(join(dir, "layouts"));
    const file = join(dir, "layouts", name);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { nodes: { id: string }[] };
    for (const text of [
      "null",
      "{}",
      JSON.stringify({ ...kept, nodes: kept.nodes.slice(1) }),
      JSON.stringify({ ...kept, nodes: kept.nodes.map((n) => ({ ...n, id: `x${n.id}` })) }),
    ]) {
      writeFileSync(file, text);
      assert.equal(layouts.withLayout(graph).layout, undefined, text.slice(0, 40));
    }
  });

  it("stops a layout when asked, keeping nothing, and lays the graph out when asked again", async () => {
    const dir = parexDir();
    const layouts = GraphLayouts.open(dir, built)!;
    const graph = outline(keptFrom);
    const laying = layouts.layOut(graph);
    laying.stop();
    await laying.done;
    assert.equal(layouts.withLayout(graph).layout, undefined);
    await layouts.layOut(graph).done;
    assert.ok(layouts.withLayout(graph).layout, "a stopped layout is not a failed one");
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
    await layouts.layOut(outline(keptFrom)).done;
    assert.equal(layouts.withLayout(outline(keptFrom)).layout, undefined);
    assert.deepEqual(readdirSync(dir), []);
  });
});
