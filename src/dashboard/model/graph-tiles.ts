import { edgeKey } from "./critical-path.js";
import type { EdgePath, GraphLayout, NodeBox } from "./graph-layout.js";

/**
 * A horizontal band of the laid-out graph: the nodes whose top falls in it, and the edges
 * into them. The page draws each tile as its own box, which the browser skips (style, layout,
 * paint) while it is scrolled out of view: a 2,000-task graph is tens of thousands of pixels
 * tall, and a box per tile keeps a status change from costing the whole graph.
 */
export interface GraphTile {
  /** Its place among the tiles, from the top. */
  readonly index: number;
  /** The top of its highest node less `tilePadPx`, in the layout's px. */
  readonly top: number;
  /** From `top` to the bottom of its lowest node plus `tilePadPx`. */
  readonly height: number;
  readonly nodes: readonly NodeBox[];
  /** Its nodes' ids. */
  readonly ids: ReadonlySet<string>;
  /** The edges into its nodes, each with its SVG path. */
  readonly edges: readonly TileEdge[];
  /** Its edges' keys. */
  readonly edgeKeys: ReadonlySet<string>;
}

/** An edge to draw: its `from → to` key (critical-path.ts's edgeKey) and its SVG path. */
export interface TileEdge {
  readonly key: string;
  readonly d: string;
}

/** How tall a tile's band is, in px: a few tiles fill the graph's scrolling view. */
export const tileBandPx = 400;

/** Room around a tile's nodes, in px: a tile clips what it draws, and a focused node's outline is wider than its box. */
export const tilePadPx = 3;

/** The layout cut into bands of `bandPx`, top to bottom; empty bands make no tile. */
export function tilesOf(layout: GraphLayout, bandPx: number = tileBandPx): GraphTile[] {
  const bands = new Map<number, NodeBox[]>();
  const bandOf = new Map<string, number>();
  for (const node of layout.nodes) {
    const band = Math.floor(Math.max(0, node.y) / bandPx);
    bandOf.set(node.id, band);
    const nodes = bands.get(band);
    if (nodes === undefined) bands.set(band, [node]);
    else nodes.push(node);
  }
  const edges = new Map<number, TileEdge[]>();
  for (const edge of layout.edges) {
    const band = bandOf.get(edge.to);
    if (band === undefined) continue;
    const drawn = { key: edgeKey(edge.from, edge.to), d: pathOf(edge) };
    const list = edges.get(band);
    if (list === undefined) edges.set(band, [drawn]);
    else list.push(drawn);
  }
  return [...bands.keys()]
    .sort((a, b) => a - b)
    .map((band, index) => {
      const nodes = bands.get(band) ?? [];
      let top = Infinity;
      let bottom = -Infinity;
      for (const node of nodes) {
        top = Math.min(top, node.y);
        bottom = Math.max(bottom, node.y + node.height);
      }
      const drawn = edges.get(band) ?? [];
      return {
        index,
        top: top - tilePadPx,
        height: bottom - top + 2 * tilePadPx,
        nodes,
        ids: new Set(nodes.map((node) => node.id)),
        edges: drawn,
        edgeKeys: new Set(drawn.map((edge) => edge.key)),
      };
    });
}

/** An edge's polyline as an SVG path. */
export function pathOf(edge: EdgePath): string {
  return edge.points
    .map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
    .join(" ");
}

/**
 * Where the next chunk of tiles to draw ends: after `from`, tiles until they hold `budget`
 * nodes (at least one tile). Drawing a large graph chunk by chunk, a frame each, keeps any one
 * task of the page short.
 */
export function chunkEnd(tiles: readonly GraphTile[], from: number, budget: number): number {
  let end = from;
  let nodes = 0;
  while (end < tiles.length && (end === from || nodes + (tiles[end]?.nodes.length ?? 0) <= budget))
    nodes += tiles[end++]?.nodes.length ?? 0;
  return end;
}

/**
 * How many of `tiles` show in the graph's box before it is scrolled, `viewPx` tall (at least
 * one, when there are any): the tiles put into the page first.
 */
export function tilesInView(tiles: readonly GraphTile[], viewPx: number): number {
  let end = 0;
  while (end < tiles.length && (end === 0 || (tiles[end]?.top ?? Infinity) < viewPx)) end++;
  return end;
}

/**
 * Whether a change of the critical path from `before` to `after` changes any of `keys`: in
 * the time of the path's length, not of `keys`, since every tile asks.
 */
export function touches(
  keys: ReadonlySet<string>,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): boolean {
  if (before === after) return false;
  for (const key of before) if (!after.has(key) && keys.has(key)) return true;
  for (const key of after) if (!before.has(key) && keys.has(key)) return true;
  return false;
}
