import { Graph, layout } from "@dagrejs/dagre";
import type { GraphLayout, NodeBox, EdgePath } from "../../core/index.js";
import type { GraphTask } from "./api-types.js";

export type { EdgePath, GraphLayout, NodeBox };

/** Characters of a task id a node shows; longer ids are cut with "…". */
export const labelLength = 24;
export const nodeHeight = 24;

/**
 * Above this many tasks, ranks are assigned by dagre's tight-tree ranker instead of its network
 * simplex, whose layouts are more compact but whose time grows much faster: 300 layered tasks
 * took 452 ms against 183, 2,000 took 30 s against 1.6 s (`node bench/probes/dagre-rankers.mjs`,
 * docs/dashboard.md, "Performance").
 */
const simplexLimit = 300;

/** dagre's input: one node per task, sized to its label, and an edge per dependency. */
export function layoutInput(tasks: readonly GraphTask[]): Graph {
  const graph = new Graph({ multigraph: false });
  graph.setGraph({
    rankdir: "LR",
    nodesep: 8,
    ranksep: 36,
    marginx: 4,
    marginy: 4,
    ranker: tasks.length > simplexLimit ? "tight-tree" : "network-simplex",
  });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const task of tasks) {
    const shown = Math.min(task.id.length, labelLength);
    graph.setNode(task.id, { width: 28 + shown * 7, height: nodeHeight });
  }
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (graph.hasNode(dependency)) graph.setEdge(dependency, task.id);
    }
  }
  return graph;
}

/**
 * A coordinate to a tenth of a px, as drawn (graph-tiles.ts): kept and sent as JSON, a layout
 * of 2,000 tasks and 3,426 edges is 467 KB, not dagre's 524 KB of 15-digit numbers.
 */
const tenth = (n: number): number => Math.round(n * 10) / 10;

/** Lays the graph out with dagre (a layered layout). */
export function layoutGraph(tasks: readonly GraphTask[]): GraphLayout {
  const graph = layoutInput(tasks);
  layout(graph);
  const nodes = tasks.map((task): NodeBox => {
    const box = graph.node(task.id) as { x: number; y: number; width: number; height: number };
    return {
      id: task.id,
      x: tenth(box.x - box.width / 2),
      y: tenth(box.y - box.height / 2),
      width: box.width,
      height: box.height,
    };
  });
  const edges = graph.edges().map((edge): EdgePath => {
    const label = graph.edge(edge) as { points?: { x: number; y: number }[] };
    const points = (label.points ?? []).map((p) => ({ x: tenth(p.x), y: tenth(p.y) }));
    return { from: edge.v, to: edge.w, points };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
