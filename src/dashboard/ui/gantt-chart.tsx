import { Component } from "preact";
import type { JSX } from "preact";
import { axisSpan, barOf, laneCount, ticks } from "../model/gantt.js";
import type { TimeScale } from "../model/gantt.js";
import { duration } from "../model/format.js";
import type { TaskRow, TaskTable } from "../model/task-table.js";
import { isTextured, Textures, textureOf } from "./patterns.js";
import { useTaskPointer } from "./task-tooltip.js";

const chartWidth = 1200;
const labelWidth = 56;
const plotWidth = chartWidth - labelWidth - 12;

/** What a Gantt chart draws. */
export interface GanttProps {
  readonly table: TaskTable;
  /** The table's version: it changes in place, and the chart has hook state (task-graph.tsx). */
  readonly version: number;
  /** ms from the run's start now (running bars end there). */
  readonly nowMs: number;
  readonly ended: boolean;
  readonly critical: ReadonlySet<string>;
  readonly onSelect: (taskId: string) => void;
}

/** The run's Gantt chart: one lane per slot, one bar per task, growing while it runs. */
export function GanttChart(props: GanttProps): JSX.Element {
  const { table, nowMs, ended } = props;
  const rows = table.rows;
  const names = table.laneNames;
  const lanes = laneCount(rows, table.concurrency, names);
  const laneHeight = lanes <= 40 ? 22 : Math.max(6, Math.floor(880 / lanes));
  const span = axisSpan(ended ? table.lastMs : Math.max(nowMs, table.lastMs), ended);
  const scale = scaleFor(span);
  const height = lanes * laneHeight;
  const { handlers, tooltip } = useTaskPointer(table, props.onSelect);
  return (
    <>
      <svg
        viewBox={`0 0 ${chartWidth} ${height + 22}`}
        width="100%"
        role="group"
        aria-label={`Gantt chart: one lane per ${names.length > 0 ? "worker" : "slot"}`}
        data-lanes={lanes}
        {...handlers}
      >
        <Textures />
        <Axis
          span={span}
          height={height}
          names={laneNamesOf(lanes, names)}
          laneHeight={laneHeight}
        />
        <g transform={`translate(${labelWidth} 0)`}>
          {Array.from({ length: Math.ceil(rows.length / blockSize) }, (_, block) => (
            <BarBlock
              key={block}
              rows={rows}
              from={block * blockSize}
              scale={scale}
              nowMs={nowMs}
              laneHeight={laneHeight}
              critical={props.critical}
            />
          ))}
        </g>
      </svg>
      {tooltip}
    </>
  );
}

/** Bars are drawn in blocks of this many tasks, each skipped when none of its tasks changed. */
const blockSize = 64;

interface BlockProps {
  /** The table's rows (the same array, rows replaced in it): the block draws [from, from + blockSize). */
  readonly rows: readonly TaskRow[];
  readonly from: number;
  readonly scale: TimeScale;
  readonly nowMs: number;
  readonly laneHeight: number;
  readonly critical: ReadonlySet<string>;
}

/**
 * A block of bars: a batch of events changes a few tasks of thousands, and only their blocks
 * are drawn again (a running task's block also as time passes), not a component per task.
 */
class BarBlock extends Component<BlockProps> {
  #drawn: readonly TaskRow[] = [];

  override shouldComponentUpdate(next: BlockProps): boolean {
    const now = this.props;
    if (next.scale !== now.scale || next.laneHeight !== now.laneHeight) return true;
    if (next.critical !== now.critical) return true;
    let running = false;
    for (let i = 0; i < blockSize; i++) {
      const row = next.rows[next.from + i];
      if (row !== this.#drawn[i]) return true;
      if (row?.startMs !== undefined && row.endMs === undefined) running = true;
    }
    return running && next.nowMs !== now.nowMs;
  }

  override render(): JSX.Element {
    const { rows, from, scale, nowMs, laneHeight, critical } = this.props;
    this.#drawn = rows.slice(from, from + blockSize);
    return (
      <>
        {this.#drawn.map((row) =>
          (row.lane ?? row.slot) === undefined ? null : (
            <BarView
              key={row.id}
              row={row}
              scale={scale}
              nowMs={row.endMs === undefined ? nowMs : 0}
              laneHeight={laneHeight}
              critical={critical.has(row.id)}
            />
          ),
        )}
      </>
    );
  }
}

interface AxisProps {
  readonly span: number;
  readonly height: number;
  /** Each lane's name: `slot 0`…, or a worker's `host/pid`. */
  readonly names: readonly string[];
  readonly laneHeight: number;
}

/** The time ticks and the slot names; drawn again only when the span or the lanes change. */
class Axis extends Component<AxisProps> {
  override shouldComponentUpdate(next: AxisProps): boolean {
    const now = this.props;
    return (
      next.span !== now.span ||
      next.height !== now.height ||
      next.names.length !== now.names.length ||
      next.names[0] !== now.names[0] ||
      next.laneHeight !== now.laneHeight
    );
  }

  override render(): JSX.Element {
    const { span, height, names, laneHeight } = this.props;
    const x = (ms: number): number => labelWidth + (ms / span) * plotWidth;
    return (
      <g>
        {ticks(span).map((ms) => (
          <g key={ms}>
            <line class="grid-line" x1={x(ms)} x2={x(ms)} y1={0} y2={height} />
            <text x={x(ms)} y={height + 15} text-anchor={anchorAt(x(ms), ms)}>
              {ms === 0 ? "0" : duration(ms)}
            </text>
          </g>
        ))}
        {laneHeight >= 12 &&
          names.map((name, lane) => (
            <text key={lane} x={4} y={lane * laneHeight + laneHeight / 2 + 4}>
              {name}
            </text>
          ))}
      </g>
    );
  }
}

/** A tick label's anchor: inside the chart at both ends (a centred "2.00 s" at the right edge is cut). */
function anchorAt(x: number, ms: number): "start" | "middle" | "end" {
  if (ms === 0) return "start";
  return x + 24 > chartWidth ? "end" : "middle";
}

/** One scale object per span, so that bars compare it by identity. */
const scales = new Map<number, TimeScale>();
function scaleFor(spanMs: number): TimeScale {
  let scale = scales.get(spanMs);
  if (scale === undefined) {
    if (scales.size > 64) scales.clear();
    scale = { spanMs, widthPx: plotWidth };
    scales.set(spanMs, scale);
  }
  return scale;
}

interface BarProps {
  readonly row: TaskRow;
  readonly scale: TimeScale;
  readonly nowMs: number;
  readonly laneHeight: number;
  readonly critical: boolean;
}

/** A task's bar; drawn again only when its row, the scale or (running) the time changes. */
class BarView extends Component<BarProps> {
  override shouldComponentUpdate(next: BarProps): boolean {
    const now = this.props;
    return (
      next.row !== now.row ||
      next.scale !== now.scale ||
      next.nowMs !== now.nowMs ||
      next.critical !== now.critical ||
      next.laneHeight !== now.laneHeight
    );
  }

  override render(): JSX.Element | null {
    const { row, scale, nowMs, laneHeight, critical } = this.props;
    const bar = barOf(row, scale, nowMs);
    if (bar === undefined) return null;
    const y = bar.lane * laneHeight + 2;
    const h = laneHeight - 4;
    // One element per succeeded bar (a colour, by CSS); a texture over the others: thousands of bars.
    return (
      <>
        <rect
          class={critical ? "bar critical" : "bar"}
          x={bar.x}
          y={y}
          width={bar.width}
          height={h}
          rx={2}
          data-task={row.id}
          data-status={row.status}
          data-critical={critical ? "true" : undefined}
          data-retried={bar.retried ? "true" : undefined}
          data-fallback={bar.fallbackUsed ? "true" : undefined}
          tabindex={0}
          role="button"
          aria-label={`${row.id}: ${row.status}`}
        />
        {isTextured(row.status) && (
          <rect
            class="band"
            x={bar.x}
            y={y}
            width={bar.width}
            height={h}
            fill={`url(#${textureOf(row.status)})`}
          />
        )}
        {bar.retried && (
          <rect class="band" x={bar.x} y={y} width={bar.width} height={3} fill="var(--retrying)" />
        )}
        {bar.fallbackUsed && (
          <rect
            class="band"
            x={bar.x}
            y={y + h - 3}
            width={bar.width}
            height={3}
            fill="var(--fallback)"
          />
        )}
      </>
    );
  }
}

/** The lanes' names: the workers' in a distributed run, else `slot N`. */
function laneNamesOf(lanes: number, workers: readonly string[]): readonly string[] {
  return workers.length > 0 ? workers : Array.from({ length: lanes }, (_, slot) => `slot ${slot}`);
}
