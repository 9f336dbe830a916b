import type { RunAnalysis, RunResult } from "../core/index.js";

/** One Chrome trace event (the JSON Trace Event Format that Perfetto and chrome://tracing open). */
interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

/**
 * A run as a Chrome trace: one lane (thread) per slot, each attempt a complete event with its
 * task's status, attempts and exit code; times in µs from the run's start.
 */
export function renderTrace(run: RunResult, analysis: RunAnalysis): string {
  const records = new Map(run.tasks.map((task) => [task.id, task]));
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: 1, tid: 0, args: { name: `parex ${run.runId}` } },
    ...analysis.lanes.map((_, slot) => ({
      name: "thread_name",
      ph: "M" as const,
      pid: 1,
      tid: slot,
      args: { name: `slot ${slot}` },
    })),
  ];
  analysis.lanes.forEach((lane, slot) => {
    for (const entry of lane) {
      const task = records.get(entry.taskId);
      events.push({
        name: entry.taskId,
        cat: task?.group ?? "task",
        ph: "X",
        pid: 1,
        tid: slot,
        ts: Math.round(entry.startMs * 1000),
        dur: Math.round((entry.endMs - entry.startMs) * 1000),
        args: {
          attempt: entry.attempt,
          status: task?.status,
          attempts: task?.attempts,
          ...(task?.reason === undefined ? {} : { reason: task.reason }),
          ...(task?.exitCode === undefined ? {} : { exitCode: task.exitCode }),
        },
      });
    }
  });
  return JSON.stringify({ traceEvents: events, displayTimeUnit: "ms" });
}
