import { Component } from "preact";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { GraphTask } from "../model/api-types.js";
import { edgeKey } from "../model/critical-path.js";
import type { CriticalSet } from "../model/critical-path.js";
import { labelLength } from "../model/graph-layout.js";
import type { EdgePath, GraphLayout, NodeBox } from "../model/graph-layout.js";
import type { TaskRow, TaskTable } from "../model/task-table.js";
import { glyphOf } from "./patterns.js";
import { useTaskPointer } from "./task-tooltip.js";

/** What the task graph draws. */
export interface TaskGraphProps {
  readonly tasks: readonly GraphTask[];
  readonly table: TaskTable;
  /**
   * The table's version: a live table changes in place, and @preact/signals redraws a
   * component with hook state only when one of its props changed.
   */
  readonly version: number;
  readonly critical: CriticalSet;
  readonly onSelect: (taskId: string) => void;
}

type Laid = { readonly layout: GraphLayout; readonly ms: number } | { readonly error: string };

/** Lays `tasks` out in a worker; undefined until it is done. */
function useLayout(tasks: readonly GraphTask[]): Laid | undefined {
  const [laid, setLaid] = useState<Laid | undefined>(undefined);
  useEffect(() => {
    setLaid(undefined);
    const worker = new Worker(new URL("./layout-worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<Laid>) => setLaid(event.data);
    worker.onerror = (event) => setLaid({ error: event.message || "the layout failed" });
    worker.postMessage(tasks);
    return () => worker.terminate();
  }, [tasks]);
  return laid;
}

/** The task graph (dagre's layered layout), nodes coloured by live status, critical path highlighted. */
export function TaskGraph(props: TaskGraphProps): JSX.Element {
  const laid = useLayout(props.tasks);
  const { handlers, tooltip } = useTaskPointer(props.table, props.onSelect);
  if (laid === undefined) {
    return <p class="muted">Laying out {props.tasks.length} tasks…</p>;
  }
  if ("error" in laid) return <p class="error">The graph could not be laid out: {laid.error}</p>;
  const { layout } = laid;
  const { critical, table } = props;
  return (
    <div class="graph" data-layout-ms={Math.round(laid.ms)}>
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label="Task graph: dependencies point right"
        {...handlers}
      >
        <Edges edges={layout.edges} critical={critical.edges} />
        {Array.from({ length: Math.ceil(layout.nodes.length / blockSize) }, (_, block) => (
          <NodeBlock
            key={block}
            nodes={layout.nodes}
            from={block * blockSize}
            table={table}
            critical={critical.tasks}
          />
        ))}
      </svg>
      {tooltip}
    </div>
  );
}

interface EdgesProps {
  readonly edges: readonly EdgePath[];
  readonly critical: ReadonlySet<string>;
}

/** Every dependency edge; drawn again only when the layout or the critical path changes. */
class Edges extends Component<EdgesProps> {
  override shouldComponentUpdate(next: EdgesProps): boolean {
    return next.edges !== this.props.edges || next.critical !== this.props.critical;
  }

  override render(): JSX.Element {
    const { edges, critical } = this.props;
    return (
      <g>
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
        {edges.map((edge) => {
          const key = edgeKey(edge.from, edge.to);
          const d = edge.points
            .map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
            .join(" ");
          const hot = critical.has(key);
          return (
            <path key={key} class={hot ? "edge critical" : "edge"} d={d} marker-end="url(#arrow)" />
          );
        })}
      </g>
    );
  }
}

/** Nodes are drawn in blocks of this many, each skipped when none of its tasks changed. */
const blockSize = 64;

interface BlockProps {
  readonly nodes: readonly NodeBox[];
  readonly from: number;
  readonly table: TaskTable;
  readonly critical: ReadonlySet<string>;
}

/** A block of nodes: drawn again only when the row of one of its tasks was replaced. */
class NodeBlock extends Component<BlockProps> {
  #drawn: readonly (TaskRow | undefined)[] = [];

  override shouldComponentUpdate(next: BlockProps): boolean {
    const now = this.props;
    if (next.nodes !== now.nodes || next.critical !== now.critical) return true;
    for (let i = 0; i < blockSize; i++) {
      const node = next.nodes[next.from + i];
      if (node !== undefined && next.table.get(node.id) !== this.#drawn[i]) return true;
    }
    return false;
  }

  override render(): JSX.Element {
    const { nodes, from, table, critical } = this.props;
    const block = nodes.slice(from, from + blockSize);
    this.#drawn = block.map((node) => table.get(node.id));
    return (
      <>
        {block.map((node, i) => (
          <NodeView
            key={node.id}
            box={node}
            row={this.#drawn[i]}
            critical={critical.has(node.id)}
          />
        ))}
      </>
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
