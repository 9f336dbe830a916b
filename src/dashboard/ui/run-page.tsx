import type { JSX } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { criticalPathOf, criticalSet } from "../model/critical-path.js";
import type { CriticalSet } from "../model/critical-path.js";
import { forecast } from "../model/forecast.js";
import type { Forecast } from "../model/forecast.js";
import { liveStatuses } from "../model/task-table.js";
import { Counters, Timing } from "./counters.js";
import { EventStream } from "./event-stream.js";
import { GanttChart } from "./gantt-chart.js";
import { LogPanel } from "./log-panel.js";
import { Swatch } from "./patterns.js";
import {
  BottlenecksPanel,
  EfficiencyPanel,
  GroupsPanel,
  ScalabilityPanel,
  SpawnPanel,
  ThroughputPanel,
} from "./run-panels.js";
import { MatrixPanel, ResourcesPanel, SystemPanel, VerdictsPanel } from "./resource-panels.js";
import { RunSession } from "./run-session.js";
import { TaskGraph } from "./task-graph.js";

const none: CriticalSet = { tasks: new Set(), edges: new Set() };
const tickMs = 200;

/** A run: live from its events while it runs, replayed from its summary once it has ended. */
export function RunPage(props: { readonly runId: string }): JSX.Element {
  const session = useMemo(() => new RunSession(props.runId), [props.runId]);
  useEffect(() => {
    void session.start();
    return () => session.stop();
  }, [session]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const close = useCallback(() => setSelected(undefined), []);
  const version = session.version.value;
  const feed = session.feed.value;
  const { table } = feed;
  const graph = session.graph.value;
  const summary = session.summary.value;
  const ended = table.runStatus !== undefined || session.connection.value === "ended";
  const live = !ended && session.connection.value !== "none";
  useTicks(live);
  const prediction = usePrediction(session, live);
  const critical = useMemo(() => {
    if (!ended) return none;
    if (summary !== undefined) return criticalSet(summary.criticalPath);
    return graph === undefined ? none : criticalSet(criticalPathOf(graph.tasks, table));
  }, [ended, summary, graph, table]);
  const error = session.error.value;
  if (error !== undefined)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  const info = session.info.value;
  if (info === undefined) return <p class="muted">Loading {props.runId}…</p>;
  const status = table.runStatus ?? info.status;
  return (
    <>
      <h1>
        {props.runId}{" "}
        <span class="status" data-status={status} data-run-status={status}>
          {status}
        </span>
      </h1>
      <p class="sub">
        {info.pipeline === undefined ? "" : `pipeline ${info.pipeline} · `}started{" "}
        {new Date(info.startedAt).toLocaleString()} · {table.rows.length} tasks on{" "}
        {table.concurrency} slots
        {live && ` · ${session.connection.value}`}
        {feed.missed > 0 &&
          ` · ${feed.missed} events were dropped before they reached this page: the run's summary will settle it`}
      </p>
      <Counters table={table} />
      <Timing
        elapsedMs={ended ? table.lastMs : session.nowMs()}
        ended={ended}
        forecast={prediction}
      />
      <section class="panel" aria-labelledby="h-gantt">
        <h2 id="h-gantt">Timeline</h2>
        <GanttChart
          table={table}
          nowMs={session.nowMs()}
          ended={ended}
          critical={critical.tasks}
          onSelect={setSelected}
        />
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
          {ended && <span>outlined: critical path</span>}
          <span>click or press Enter on a bar for its log</span>
        </div>
      </section>
      <section class="panel" aria-labelledby="h-graph">
        <h2 id="h-graph">Task graph</h2>
        {graph === undefined ? (
          <p class="muted">{session.graphMissing.value ?? "Loading the graph…"}</p>
        ) : (
          <TaskGraph tasks={graph.tasks} table={table} critical={critical} onSelect={setSelected} />
        )}
      </section>
      {!ended && <SystemPanel samples={session.system.value} />}
      {summary !== undefined && <SummaryPanels summary={summary} />}
      <section class="panel" aria-labelledby="h-events">
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
      {selected !== undefined && <LogPanel session={session} taskId={selected} onClose={close} />}
    </>
  );
}

function SummaryPanels(props: {
  readonly summary: NonNullable<RunSession["summary"]["value"]>;
}): JSX.Element {
  const { summary } = props;
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

/** Re-renders every `tickMs` while the run is live, so that running bars grow between events. */
function useTicks(live: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), tickMs);
    return () => clearInterval(timer);
  }, [live]);
}

/** The forecast, recomputed once a second while the run is live (a simulation of the rest). */
function usePrediction(session: RunSession, live: boolean): Forecast | undefined {
  const [prediction, setPrediction] = useState<Forecast | undefined>(undefined);
  const graph = session.graph.value;
  const feed = session.feed.value;
  useEffect(() => {
    if (graph === undefined) return undefined;
    const compute = (): void =>
      setPrediction(forecast(graph.tasks, graph.concurrency, feed.table, session.nowMs()));
    compute();
    if (!live) return undefined;
    const timer = setInterval(compute, 1_000);
    return () => clearInterval(timer);
  }, [session, graph, feed, live]);
  return prediction;
}
