/**
 * What the dashboard's benchmark and its profiling probe share: a simulated run (the real
 * scheduler on a virtual clock over a random layered DAG, so its events and summary are parex's
 * own), and streaming its events to the test stand-in of the API at a steady rate.
 */
import {
  analyze,
  buildGraph,
  insight,
  runGraph,
  summarize,
  VirtualClock,
} from "../../dist/core/index.js";
import type { AttemptResult, Executor, RunEvent, RunSummary } from "../../dist/core/index.js";
import type { DashboardServer, StubRun } from "../../src/testing/dashboard-server.js";
import { layeredDag } from "./dags.js";

/** A simulated run of `size` tasks on `slots`: its events and summary, and its graph as the API gives it. */
export async function simulatedRun(size: number, slots: number) {
  const dag = layeredDag(7, size, slots, 0.2);
  const graph = buildGraph(
    dag.tasks.map((t) => ({ id: t.id, run: t.id, dependsOn: [...t.dependsOn] })),
  );
  const clock = new VirtualClock(Date.now());
  const executor: Executor<string> = {
    execute: (id) =>
      new Promise<AttemptResult>((resolve) =>
        clock.setTimer(dag.durations[id] ?? 0, () => resolve({ ok: true, value: null })),
      ),
  };
  const events: RunEvent[] = [];
  const done = runGraph(graph, {
    executor,
    clock,
    concurrency: slots,
    listeners: [(e) => events.push(e)],
  });
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!clock.next()) await new Promise((resolve) => setImmediate(resolve));
  }
  const run = await done;
  const analysis = analyze(graph, run);
  const summary: RunSummary = summarize(run, analysis, insight(graph, run, analysis));
  const graphBody = {
    runId: run.runId,
    concurrency: slots,
    tasks: dag.tasks.map((t) => {
      const estimateMs = dag.durations[t.id];
      return {
        id: t.id,
        dependsOn: t.dependsOn,
        ...(estimateMs === undefined ? {} : { estimateMs }),
      };
    }),
  };
  return { events, summary, graphBody };
}

/** A copy of a run, under another id, still running: what a live page follows. */
export function liveCopy(
  run: { readonly summary: RunSummary; readonly graphBody: object },
  runId: string,
): StubRun {
  return {
    info: { runId, status: "running", startedAt: run.summary.startedAt },
    graph: { ...run.graphBody, runId },
  };
}

/**
 * Publishes `events` to `run`'s stream, `rate` per second on schedule (late ones go at once),
 * then stores the summary and ends the stream. Returns when the last event was sent
 * (performance.now()) and how many seconds sending took.
 */
export async function streamLive(
  server: DashboardServer,
  run: StubRun,
  events: readonly RunEvent[],
  summary: RunSummary,
  rate: number,
): Promise<{ readonly sentAt: number; readonly seconds: number }> {
  const runId = run.info.runId;
  const started = performance.now();
  for (let i = 0; i < events.length; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    server.publish(runId, { ...events[i], runId } as RunEvent);
  }
  const sentAt = performance.now();
  run.info = { ...run.info, status: summary.status, summary: { ...summary, runId } };
  server.endStream(runId);
  return { sentAt, seconds: (sentAt - started) / 1000 };
}
