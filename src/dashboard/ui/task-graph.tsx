import { Component } from "preact";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { GraphTask } from "../model/api-types.js";
import { edgeKey } from "../model/critical-path.js";
import type { CriticalSet } from "../model/critical-path.js";
import { labelLength } from "../model/graph-layout.js";
import type { EdgePath, GraphLayout, NodeBox } from "../model/graph-layout.js";
import type { TaskRow, TaskTable } from "../model/task-table.js";
import { barTitle } from "./gantt-chart.js";
import { glyphOf } from "./patterns.js";

/** What the task graph draws. */
export interface TaskGraphProps {
  readonly tasks: readonly GraphTask[];
  readonly table: TaskTable;
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
  if (laid === undefined) {
    return <p class="muted">Laying out {props.tasks.length} tasks…</p>;
  }
  if ("error" in laid) return <p class="error">The graph could not be laid out: {laid.error}</p>;
  const { layout } = laid;
  const { critical, table, onSelect } = props;
  return (
    <div
      class="wide"
      style={{ maxHeight: "640px", overflowY: "auto" }}
      data-layout-ms={Math.round(laid.ms)}
    >
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label="Task graph: dependencies point right"
      >
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
        {layout.edges.map((edge) => (
          <EdgeView
            key={edgeKey(edge.from, edge.to)}
            edge={edge}
            critical={critical.edges.has(edgeKey(edge.from, edge.to))}
          />
        ))}
        {layout.nodes.map((node) => (
          <NodeView
            key={node.id}
            box={node}
            row={table.get(node.id)}
            critical={critical.tasks.has(node.id)}
            onSelect={onSelect}
          />
        ))}
      </svg>
    </div>
  );
}

function EdgeView(props: { readonly edge: EdgePath; readonly critical: boolean }): JSX.Element {
  const d = props.edge.points
    .map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
    .join(" ");
  return <path class={props.critical ? "edge critical" : "edge"} d={d} marker-end="url(#arrow)" />;
}

interface NodeProps {
  readonly box: NodeBox;
  readonly row: TaskRow | undefined;
  readonly critical: boolean;
  readonly onSelect: (taskId: string) => void;
}

/** A task's node; drawn again only when its row or its place on the critical path changes. */
class NodeView extends Component<NodeProps> {
  override shouldComponentUpdate(next: NodeProps): boolean {
    return (
      next.row !== this.props.row ||
      next.critical !== this.props.critical ||
      next.box !== this.props.box
    );
  }

  override render(): JSX.Element {
    const { box, row, critical, onSelect } = this.props;
    const status = row?.status ?? "waiting";
    const label = box.id.length > labelLength ? `${box.id.slice(0, labelLength - 1)}…` : box.id;
    const open = (): void => onSelect(box.id);
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
        onClick={open}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            open();
          }
        }}
      >
        <title>{row === undefined ? box.id : barTitle(row)}</title>
        <rect class="box" width={box.width} height={box.height} rx={4} />
        <rect class="strip" width={6} height={box.height} rx={2} />
        <text x={11} y={box.height / 2 + 4}>
          <tspan class="glyph">{glyphOf(status)}</tspan> {label}
        </text>
      </g>
    );
  }
}
