// How long dagre takes to lay out a large task graph with each of its rankers (the dashboard's
// graph switches from network simplex to tight-tree past 300 tasks):
//   node bench/probes/dagre-rankers.mjs [TASKS] [WIDTH]
// lays out TASKS tasks in layers of WIDTH, each task depending on 1 or 2 tasks of the layer
// before (a fixed pseudo-random choice), left to right as the dashboard does; prints ms per ranker.
import { Graph, layout } from "@dagrejs/dagre";

const tasks = Number(process.argv[2] ?? "2000");
const width = Number(process.argv[3] ?? "200");

function graph(ranker, size = tasks) {
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 8, ranksep: 36, ranker });
  g.setDefaultEdgeLabel(() => ({}));
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < size; i++) {
    g.setNode(`t${i}`, { width: 140, height: 24 });
    const layer = Math.floor(i / width);
    if (layer === 0) continue;
    const fanIn = 1 + Math.floor(random() * 2);
    for (let k = 0; k < fanIn; k++) {
      g.setEdge(`t${(layer - 1) * width + Math.floor(random() * width)}`, `t${i}`);
    }
  }
  return g;
}

// Warm up: the first layout also pays for compiling dagre.
for (const ranker of ["network-simplex", "tight-tree", "longest-path"]) layout(graph(ranker, 100));
for (const ranker of ["network-simplex", "tight-tree", "longest-path"]) {
  const g = graph(ranker);
  const started = performance.now();
  layout(g);
  console.log(`${ranker}: ${Math.round(performance.now() - started)} ms for ${tasks} tasks`);
}
