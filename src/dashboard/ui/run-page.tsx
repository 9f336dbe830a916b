import type { JSX } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { RunSummary } from "../../core/index.js";
import type { GraphBody } from "../model/api-types.js";
import { criticalPathOf, criticalSet } from "../model/critical-path.js";
import type { CriticalSet } from "../model/critical-path.js";
import { progressOf } from "../model/forecast.js";
import type { Forecast } from "../model/forecast.js";
import type { TaskTable } from "../model/task-table.js";
import { Counters, Timing } from "./counters.js";
import type { ForecastAnswer, ForecastQuestion } from "./forecast-worker.js";
import { LogPanel } from "./log-panel.js";
import { SystemPanel } from "./resource-panels.js";
import { Events, PanelsSoFar, RunHeader, SummaryPanels, Timeline } from "./run-sections.js";
import { RunSession } from "./run-session.js";
import type { RunSource } from "./run-source.js";
import { TaskGraph } from "./task-graph.js";
import { TasksPanel } from "./tasks-panel.js";
import { forecastWorker } from "./workers.js";

const none: CriticalSet = { tasks: new Set(), edges: new Set() };
const tickMs = 200;

/** A run: live from its events while it runs, replayed from its summary once it has ended. */
export function RunPage(props: {
  readonly runId: string;
  readonly source?: RunSource;
}): JSX.Element {
  const { source } = props;
  const session = useMemo(() => new RunSession(props.runId, source), [props.runId, source]);
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
  const connection = session.connection.value;
  const ended = table.runStatus !== undefined || connection === "ended";
  const live = !ended && connection !== "none";
  useTicks(session, live);
  const prediction = usePrediction(session, live);
  const critical = useCritical(ended, summary, graph, table);
  const { error } = session;
  if (error.value !== undefined)
    return (
      <p class="error" role="alert">
        {error.value}
      </p>
    );
  const info = session.info.value;
  if (info === undefined) return <p class="muted">Loading {props.runId}…</p>;
  const nowMs = ended ? table.lastMs : session.nowMs();
  return (
    <>
      <RunHeader
        info={info}
        table={table}
        connection={live ? connection : undefined}
        missed={feed.missed}
      />
      <Counters table={table} />
      <Timing elapsedMs={nowMs} ended={ended} forecast={prediction} />
      <Timeline
        table={table}
        version={table.version}
        nowMs={nowMs}
        ended={ended}
        critical={critical.tasks}
        onSelect={setSelected}
      />
      <section class="panel deferred" aria-labelledby="h-graph">
        <h2 id="h-graph">Task graph</h2>
        {graph === undefined ? (
          <p class="muted">{session.graphMissing.value ?? "Loading the graph…"}</p>
        ) : (
          <TaskGraph
            tasks={graph.tasks}
            {...(graph.layout === undefined ? {} : { layout: graph.layout })}
            table={table}
            version={table.version}
            critical={critical}
            onSelect={setSelected}
          />
        )}
      </section>
      {!ended && <SystemPanel samples={session.system.value} />}
      {summary !== undefined && <SummaryPanels summary={summary} />}
      {summary === undefined && live && <PanelsSoFar table={table} nowMs={nowMs} />}
      {summary !== undefined && <TasksPanel summary={summary} onSelect={setSelected} />}
      {session.source.kind === "api" && <Events feed={feed} ended={ended} version={version} />}
      {selected !== undefined && <LogPanel session={session} taskId={selected} onClose={close} />}
    </>
  );
}

/** The critical path once the run has ended: the summary's, or from the graph and the table. */
function useCritical(
  ended: boolean,
  summary: RunSummary | undefined,
  graph: GraphBody | undefined,
  table: TaskTable,
): CriticalSet {
  return useMemo(() => {
    if (!ended) return none;
    if (summary !== undefined) return criticalSet(summary.criticalPath);
    return graph === undefined ? none : criticalSet(criticalPathOf(graph.tasks, table));
  }, [ended, summary, graph, table]);
}

/**
 * Re-renders every `tickMs` while the run is live, so that running bars grow between events;
 * not when a batch of events has just redrawn the page anyway.
 */
function useTicks(session: RunSession, live: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => {
      if (performance.now() - session.lastFoldMs >= tickMs) setTick((n) => n + 1);
    }, tickMs);
    return () => clearInterval(timer);
  }, [session, live]);
}

/**
 * The forecast: the makespan predicted once, the time left again every second while live,
 * simulated in a worker (the page sends it the progress, a copy of a few thousand ids); a
 * second whose question is still being simulated asks nothing. `pending` until the first
 * answer.
 */
function usePrediction(session: RunSession, live: boolean): Forecast | "none" | "pending" {
  const [prediction, setPrediction] = useState<Forecast | "none" | "pending">("pending");
  const graph = session.graph.value;
  const feed = session.feed.value;
  useEffect(() => {
    if (graph === undefined) return undefined;
    const worker = forecastWorker();
    const send = (question: ForecastQuestion): void => worker.postMessage(question);
    let asking = false;
    worker.onmessage = (event: MessageEvent<ForecastAnswer>) => {
      asking = false;
      setPrediction(event.data.forecast ?? "none");
    };
    worker.onerror = () => setPrediction("none");
    send({ kind: "graph", tasks: graph.tasks, concurrency: graph.concurrency });
    const ask = (): void => {
      if (asking) return;
      asking = true;
      send({ kind: "at", progress: progressOf(feed.table), nowMs: session.nowMs() });
    };
    ask();
    const timer = live ? setInterval(ask, 1_000) : undefined;
    return () => {
      clearInterval(timer);
      worker.terminate();
    };
  }, [session, graph, feed, live]);
  return prediction;
}
