import type { RunResult, TaskRecord } from "../core/index.js";

/**
 * A finished run whose tasks all succeeded in one attempt each, given as
 * id → [slot, start, end] (clock ms): the input of analysis and report tests.
 */
export function recordedRun(options: {
  readonly concurrency: number;
  readonly startedAt?: number;
  readonly runId?: string;
  readonly tasks: Readonly<Record<string, readonly [slot: number, start: number, end: number]>>;
}): RunResult {
  const tasks: TaskRecord[] = Object.entries(options.tasks).map(([id, [slot, start, end]]) => ({
    id,
    status: "succeeded",
    attempts: 1,
    fallbackUsed: false,
    optional: false,
    spans: [{ attempt: 1, slot, start, end }],
  }));
  const startedAt = options.startedAt ?? 0;
  return {
    runId: options.runId ?? "run_1",
    status: "succeeded",
    strategy: "all",
    concurrency: options.concurrency,
    startedAt,
    finishedAt: Math.max(startedAt, ...tasks.flatMap((t) => t.spans.map((s) => s.end))),
    results: new Map(),
    tasks,
  };
}
