import { Component } from "preact";
import type { JSX } from "preact";
import { axisSpan, barOf, laneCount, ticks } from "../model/gantt.js";
import type { TimeScale } from "../model/gantt.js";
import { bytes, duration } from "../model/format.js";
import type { TaskRow, TaskTable } from "../model/task-table.js";
import { Patterns, patternOf } from "./patterns.js";

const chartWidth = 1200;
const labelWidth = 56;
const plotWidth = chartWidth - labelWidth - 12;

/** What a Gantt chart draws. */
export interface GanttProps {
  readonly table: TaskTable;
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
  const lanes = laneCount(rows, table.concurrency);
  const laneHeight = lanes <= 40 ? 22 : Math.max(6, Math.floor(880 / lanes));
  const span = axisSpan(ended ? table.lastMs : Math.max(nowMs, table.lastMs), ended);
  const scale = scaleFor(span);
  const height = lanes * laneHeight;
  const x = (ms: number): number => labelWidth + (ms / span) * plotWidth;
  return (
    <svg
      viewBox={`0 0 ${chartWidth} ${height + 22}`}
      width="100%"
      role="group"
      aria-label="Gantt chart: one lane per slot"
      data-lanes={lanes}
    >
      <Patterns />
      {ticks(span).map((ms) => (
        <g key={ms}>
          <line class="grid-line" x1={x(ms)} x2={x(ms)} y1={0} y2={height} />
          <text x={x(ms)} y={height + 15} text-anchor={ms === 0 ? "start" : "middle"}>
            {ms === 0 ? "0" : duration(ms)}
          </text>
        </g>
      ))}
      {laneHeight >= 12 &&
        Array.from({ length: lanes }, (_, slot) => (
          <text key={slot} x={4} y={slot * laneHeight + laneHeight / 2 + 4}>
            slot {slot}
          </text>
        ))}
      <g transform={`translate(${labelWidth} 0)`}>
        {rows.map((row) =>
          row.slot === undefined ? null : (
            <BarView
              key={row.id}
              row={row}
              scale={scale}
              nowMs={row.endMs === undefined ? nowMs : 0}
              laneHeight={laneHeight}
              critical={props.critical.has(row.id)}
              onSelect={props.onSelect}
            />
          ),
        )}
      </g>
    </svg>
  );
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
  readonly onSelect: (taskId: string) => void;
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
    const { row, scale, nowMs, laneHeight, critical, onSelect } = this.props;
    const bar = barOf(row, scale, nowMs);
    if (bar === undefined) return null;
    const y = bar.lane * laneHeight + 2;
    const h = laneHeight - 4;
    const pattern = patternOf(row.status);
    const open = (): void => onSelect(row.id);
    return (
      <g
        class={critical ? "bar critical" : "bar"}
        data-task={row.id}
        data-status={row.status}
        data-critical={critical ? "true" : undefined}
        data-retried={bar.retried ? "true" : undefined}
        data-fallback={bar.fallbackUsed ? "true" : undefined}
        tabindex={0}
        role="button"
        aria-label={`${row.id}: ${row.status}`}
        onClick={open}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            open();
          }
        }}
      >
        <title>{barTitle(row)}</title>
        <rect class="fill" x={bar.x} y={y} width={bar.width} height={h} rx={2} />
        {pattern && <rect x={bar.x} y={y} width={bar.width} height={h} fill={`url(#${pattern})`} />}
        {bar.retried && (
          <rect x={bar.x} y={y} width={bar.width} height={3} fill="var(--retrying)" />
        )}
        {bar.fallbackUsed && (
          <rect x={bar.x} y={y + h - 3} width={bar.width} height={3} fill="var(--fallback)" />
        )}
      </g>
    );
  }
}

/** The hover text of a bar: times, attempts, CPU and memory. */
export function barTitle(row: TaskRow): string {
  const lines = [`${row.id} · ${row.status}${row.reason ? ` (${row.reason})` : ""}`];
  if (row.startMs !== undefined) {
    const end = row.endMs === undefined ? "running" : duration(row.endMs);
    const took = row.endMs === undefined ? "" : ` (${duration(row.endMs - row.startMs)})`;
    lines.push(`${duration(row.startMs)} → ${end}${took}, slot ${row.slot ?? "-"}`);
  }
  const retries = row.retries > 0 ? `, ${row.retries} retr${row.retries === 1 ? "y" : "ies"}` : "";
  lines.push(`attempts: ${row.attempts}${retries}${row.fallbackUsed ? ", fallback used" : ""}`);
  if (row.cpuMs !== undefined) lines.push(`CPU: ${duration(row.cpuMs)}`);
  if (row.peakRssBytes !== undefined) lines.push(`peak memory: ${bytes(row.peakRssBytes)}`);
  if (row.error !== undefined) lines.push(row.error);
  return lines.join("\n");
}
