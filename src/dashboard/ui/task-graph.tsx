import { Component } from "preact";
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { GraphTask } from "../model/api-types.js";
import type { CriticalSet } from "../model/critical-path.js";
import { labelLength } from "../model/graph-layout.js";
import type { GraphLayout, NodeBox } from "../model/graph-layout.js";
import { tilesInView, tilesOf, touches } from "../model/graph-tiles.js";
import type { GraphTile } from "../model/graph-tiles.js";
import type { TaskRow, TaskTable } from "../model/task-table.js";
import { glyphOf } from "./patterns.js";
import { useTaskPointer } from "./task-tooltip.js";
import { useChunks } from "./use-chunks.js";
import { layoutWorker } from "./workers.js";

/** What the task graph draws. */
export interface TaskGraphProps {
  readonly tasks: readonly GraphTask[];
  /** The graph as the runner laid it out; absent: it is laid out here, in a worker. */
  readonly layout?: GraphLayout;
  readonly table: TaskTable;
  /**
   * The table's version: a live table changes in place, and @preact/signals redraws a
   * component with hook state only when one of its props changed.
   */
  readonly version: number;
  readonly critical: CriticalSet;
  readonly onSelect: (taskId: string) => void;
}

/** A layout and how long it took (0 when the runner had laid it out); or why there is none. */
type Laid = { readonly layout: GraphLayout; readonly ms: number } | { readonly error: string };

/** Nodes put into the page per animation frame while a large graph is first drawn. */
const nodesPerFrame = 200;
/** How tall the graph's box is at most, in px: charts.css's `.graph` `max-height`. */
const graphBoxPx = 640;
const noTiles: readonly GraphTile[] = [];

/**
 * `given`, or `tasks` laid out in a worker: undefined until it is done. A given layout is taken
 * on the next animation frame, so that cutting it into tiles (for thousands of tasks, a few tens
 * of ms) comes after the rest of the page is drawn, not in the same task.
 */
function useLayout(tasks: readonly GraphTask[], given: GraphLayout | undefined): Laid | undefined {
  const [laid, setLaid] = useState<Laid | undefined>(undefined);
  useEffect(() => {
    setLaid(undefined);
    if (given !== undefined) {
      const frame = requestAnimationFrame(() => setLaid({ layout: given, ms: 0 }));
      return () => cancelAnimationFrame(frame);
    }
    const worker = layoutWorker();
    worker.onmessage = (event: MessageEvent<Laid>) => setLaid(event.data);
    worker.onerror = (event) => setLaid({ error: event.message || "the layout failed" });
    worker.postMessage(tasks);
    return () => worker.terminate();
  }, [tasks, given]);
  return laid;
}

/**
 * The task graph (dagre's layered layout), nodes coloured by live status, critical path
 * highlighted. Drawn in horizontal tiles (model/graph-tiles.ts), each a box the browser skips
 * while it is scrolled out of view, put into the page a chunk per frame.
 */
export function TaskGraph(props: TaskGraphProps): JSX.Element {
  const laid = useLayout(props.tasks, props.layout);
  const layout = laid !== undefined && "layout" in laid ? laid.layout : undefined;
  const tiles = useMemo(() => (layout === undefined ? noTiles : tilesOf(layout)), [layout]);
  const drawn = useChunks(tiles, nodesPerFrame, tilesInView(tiles, graphBoxPx));
  const { handlers, tooltip } = useTaskPointer(props.table, props.onSelect);
  if (laid === undefined) {
    return <p class="muted">Laying out {props.tasks.length} tasks…</p>;
  }
  if ("error" in laid) return <p class="error">The graph could not be laid out: {laid.error}</p>;
  const { width, height } = laid.layout;
  const { critical, table } = props;
  const shown = tiles.slice(0, drawn);
  return (
    <div
      class="graph"
      data-layout-ms={Math.round(laid.ms)}
      data-laid-out-by={props.layout === undefined ? "page" : "runner"}
      role="group"
      aria-label="Task graph: dependencies point right"
      {...handlers}
    >
      <div class="graph-plane" style={{ width: `${width}px`, height: `${height}px` }}>
        <svg class="graph-edges" width={width} height={height} aria-hidden="true">
          <Arrow />
          {shown.map((tile) => (
            <EdgeGroup key={tile.index} tile={tile} critical={critical.edges} />
          ))}
        </svg>
        {shown.map((tile) => (
          <TileView
            key={tile.index}
            tile={tile}
            of={tiles.length}
            width={width}
            table={table}
            critical={critical.tasks}
          />
        ))}
      </div>
      {tooltip}
    </div>
  );
}

function Arrow(): JSX.Element {
  return (
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 8 8"
        refX="8"
        refY="4"
        markerWidth="7"
        markerHeight="7"
        markerUnits="userSpaceOnUse"
        orient="auto"
      >
        <path d="M0 0 L8 4 L0 8 z" fill="var(--skipped)" />
      </marker>
    </defs>
  );
}

interface EdgeGroupProps {
  readonly tile: GraphTile;
  readonly critical: ReadonlySet<string>;
}

/** A tile's edges; drawn again only when the critical path changes one of them. */
class EdgeGroup extends Component<EdgeGroupProps> {
  override shouldComponentUpdate(next: EdgeGroupProps): boolean {
    const now = this.props;
    if (next.tile !== now.tile) return true;
    return touches(next.tile.edgeKeys, now.critical, next.critical);
  }

  override render(): JSX.Element {
    const { tile, critical } = this.props;
    return (
      <g>
        {tile.edges.map((edge) => (
          <path
            key={edge.key}
            class={critical.has(edge.key) ? "edge critical" : "edge"}
            d={edge.d}
            marker-end="url(#arrow)"
          />
        ))}
      </g>
    );
  }
}

interface TileProps {
  readonly tile: GraphTile;
  /** How many tiles the graph has. */
  readonly of: number;
  readonly width: number;
  readonly table: TaskTable;
  readonly critical: ReadonlySet<string>;
}

/**
 * A tile of nodes, in a box of its own: drawn again only when the row of one of its tasks was
 * replaced or the critical path changed one of them.
 */
class TileView extends Component<TileProps> {
  #drawn: readonly (TaskRow | undefined)[] = [];

  override shouldComponentUpdate(next: TileProps): boolean {
    const now = this.props;
    if (next.tile !== now.tile || next.width !== now.width || next.of !== now.of) return true;
    const { nodes } = next.tile;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node !== undefined && next.table.get(node.id) !== this.#drawn[i]) return true;
    }
    return touches(next.tile.ids, now.critical, next.critical);
  }

  override render(): JSX.Element {
    const { tile, of, width, table, critical } = this.props;
    this.#drawn = tile.nodes.map((node) => table.get(node.id));
    return (
      <div
        class="graph-tile"
        style={{ top: `${tile.top}px`, width: `${width}px`, height: `${tile.height}px` }}
      >
        <svg
          width={width}
          height={tile.height}
          viewBox={`0 ${tile.top} ${width} ${tile.height}`}
          aria-label={`Task graph, part ${tile.index + 1} of ${of}`}
        >
          {tile.nodes.map((node, i) => (
            <NodeView
              key={node.id}
              box={node}
              row={this.#drawn[i]}
              critical={critical.has(node.id)}
            />
          ))}
        </svg>
      </div>
    );
  }
}

interface NodeProps {
  readonly box: NodeBox;
  readonly row: TaskRow | undefined;
  readonly critical: boolean;
}

/** A task's node; drawn again only when its row or its place on the critical path changes. */
class NodeView extends Component<NodeProps> {
  override shouldComponentUpdate(next: NodeProps): boolean {
    const now = this.props;
    return next.row !== now.row || next.critical !== now.critical || next.box !== now.box;
  }

  override render(): JSX.Element {
    const { box, row, critical } = this.props;
    const status = row?.status ?? "waiting";
    const label = box.id.length > labelLength ? `${box.id.slice(0, labelLength - 1)}…` : box.id;
    return (
      <g
        class={critical ? "node critical" : "node"}
        data-task={box.id}
        data-status={status}
        data-critical={critical ? "true" : undefined}
        transform={`translate(${box.x.toFixed(1)} ${box.y.toFixed(1)})`}
        tabindex={0}
        role="button"
        aria-label={`${box.id}: ${status}`}
      >
        <rect class="box" width={box.width} height={box.height} rx={4} />
        <rect class="strip" width={6} height={box.height} rx={2} />
        <text x={11} y={box.height / 2 + 4}>
          <tspan class="glyph">{glyphOf(status)}</tspan> {label}
        </text>
      </g>
    );
  }
}
