import { Component } from "preact";
import type { JSX } from "preact";
import type { RunSummary } from "../../core/index.js";
import type { RunInfo } from "../model/api-types.js";
import type { RunFeed } from "../model/run-feed.js";
import { panelsSoFar } from "../model/panels-so-far.js";
import { liveStatuses } from "../model/task-table.js";
import type { TaskTable } from "../model/task-table.js";
import { EventStream } from "./event-stream.js";
import { GanttChart } from "./gantt-chart.js";
import type { GanttProps } from "./gantt-chart.js";
import { Swatch } from "./patterns.js";
import { MatrixPanel, ResourcesPanel, VerdictsPanel } from "./resource-panels.js";
import {
  BottlenecksPanel,
  BusyPanel,
  EfficiencyPanel,
  GroupsPanel,
  ScalabilityPanel,
  SpawnPanel,
  ThroughputPanel,
} from "./run-panels.js";

/** What the run's heading says. */
export interface RunHeaderProps {
  readonly info: RunInfo;
  readonly table: TaskTable;
  /** The live connection's state, while the run is live. */
  readonly connection: string | undefined;
  /** Events dropped before they reached the page. */
  readonly missed: number;
}

/** The run's id and status, and what it is. */
export function RunHeader(props: RunHeaderProps): JSX.Element {
  const { info, table, connection, missed } = props;
  const status = table.runStatus ?? info.status;
  return (
    <>
      <h1>
        {info.runId}{" "}
        <span class="status" data-status={status} data-run-status={status}>
          {status}
        </span>
      </h1>
      <p class="sub">
        {info.pipeline === undefined ? "" : `pipeline ${info.pipeline} · `}started{" "}
        {new Date(info.startedAt).toLocaleString()} · {table.rows.length} tasks on{" "}
        {table.concurrency} slots
        {connection !== undefined && ` · ${connection}`}
        {missed > 0 &&
          ` · ${missed} events were dropped before they reached this page: the run's summary will settle it`}
      </p>
    </>
  );
}

/** The Gantt chart and its legend. */
export function Timeline(props: GanttProps): JSX.Element {
  return (
    <section class="panel" aria-labelledby="h-gantt">
      <h2 id="h-gantt">Timeline</h2>
      <GanttChart {...props} />
      <div class="legend">
        {liveStatuses
          .filter((s) => s !== "waiting" && s !== "skipped")
          .map((s) => (
            <span key={s}>
              <Swatch status={s} />
              {s}
            </span>
          ))}
        <span>top band: retried</span>
        <span>bottom band: fallback used</span>
        {props.ended && <span>outlined: critical path</span>}
        <span>click or press Enter on a bar for its log</span>
      </div>
    </section>
  );
}

/** The event stream, or why there is none. */
export function Events(props: {
  readonly feed: RunFeed;
  readonly ended: boolean;
  readonly version: number;
}): JSX.Element {
  const { feed, ended, version } = props;
  return (
    <section class="panel deferred" aria-labelledby="h-events">
      <h2 id="h-events">Event stream</h2>
      {feed.log.total === 0 ? (
        <p class="muted">
          {ended
            ? "Events are streamed while a run is live; this run is replayed from its summary."
            : "Waiting for events…"}
        </p>
      ) : (
        <EventStream log={feed.log} version={version} />
      )}
    </section>
  );
}

/**
 * Seed 001's panels of a run still going, over the tasks that ended so far
 * (model/panels-so-far.ts); figured again once a second of the run, not at every batch of
 * events.
 */
export class PanelsSoFar extends Component<{ readonly table: TaskTable; readonly nowMs: number }> {
  override shouldComponentUpdate(next: { readonly table: TaskTable; readonly nowMs: number }) {
    const now = this.props;
    return (
      next.table !== now.table || Math.floor(next.nowMs / 1000) !== Math.floor(now.nowMs / 1000)
    );
  }

  override render(): JSX.Element {
    const soFar = panelsSoFar(this.props.table, this.props.nowMs);
    return (
      <div class="grid so-far" data-panels="so-far">
        <ThroughputPanel summary={soFar} />
        <BusyPanel soFar={soFar} />
        <GroupsPanel summary={soFar} />
        <SpawnPanel summary={soFar} />
        <ResourcesPanel summary={soFar} />
        <MatrixPanel summary={soFar} />
      </div>
    );
  }
}

/** Seed 001's panels, from the run's summary; drawn again only when the summary changes. */
export class SummaryPanels extends Component<{ readonly summary: RunSummary }> {
  override shouldComponentUpdate(next: { readonly summary: RunSummary }): boolean {
    return next.summary !== this.props.summary;
  }

  override render(): JSX.Element {
    const { summary } = this.props;
    return (
      <div class="grid">
        <ThroughputPanel summary={summary} />
        <EfficiencyPanel summary={summary} />
        <BottlenecksPanel summary={summary} />
        <GroupsPanel summary={summary} />
        <ScalabilityPanel summary={summary} />
        <SpawnPanel summary={summary} />
        <ResourcesPanel summary={summary} />
        <VerdictsPanel summary={summary} />
        <MatrixPanel summary={summary} />
      </div>
    );
  }
}
