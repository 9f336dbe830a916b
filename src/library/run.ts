import {
  analyze,
  buildGraph,
  describeValue,
  expectInteger,
  expectOneOf,
  ParexError,
  runGraph,
  strategies,
  summarize,
  taskPath,
} from "../core/index.js";
import type {
  Breakers,
  BreakerPolicy,
  ErrorInfo,
  Estimates,
  ListenerErrorHandler,
  RetryPolicy,
  RunAnalysis,
  RunListener,
  RunResult,
  RunStatus,
  RunSummary,
  Strategy,
  TaskRecord,
  TaskSpec,
} from "../core/index.js";
import { functionExecutor, systemClock } from "../exec/index.js";
import type { TaskContext, TaskFunction } from "../exec/index.js";

type Results<T> = { readonly [K in keyof T]: T[K] };

/** A task function: receives its dependencies' results, its signal and attempt number. */
export type TaskFn<T, R> = (context: TaskContext<Results<T>>) => R | PromiseLike<R>;

/** A task with policies. */
export interface TaskOptions<T, R> {
  readonly run: TaskFn<T, R>;
  /** Tasks whose results this one needs; it starts when they have all succeeded. */
  readonly dependsOn?: readonly (keyof T & string)[];
  /** Each attempt's signal is aborted after this many ms, at most 2^31 − 1 (about 24.8 days). */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly breaker?: BreakerPolicy;
  /** Stands in when every attempt failed: a value, or a function computing it. */
  readonly fallback?: R | TaskFn<T, R>;
  /** May fail without failing or cancelling the run (any strategy); its dependents are skipped. */
  readonly optional?: boolean;
  /** Higher starts first among ready tasks. Default 0. */
  readonly priority?: number;
  /** Concurrency slots it occupies. Default 1. */
  readonly slots?: number;
  /** Tasks with the same mutex never run at once. */
  readonly mutex?: string;
  readonly group?: string;
}

/** A task: a bare function, or one with options. */
export type TaskDefinition<T, K extends keyof T> = TaskFn<T, T[K]> | TaskOptions<T, T[K]>;

/** Options of {@link run}. */
export interface RunOptions {
  /** Tasks running at once: an integer ≥ 1 or Infinity. Default Infinity. */
  readonly concurrency?: number;
  /** Default `"all"`. */
  readonly strategy?: Strategy;
  /** Cancels the run: running tasks' signals abort, nothing else starts. */
  readonly signal?: AbortSignal;
  /** Receives every RunEvent. What it throws becomes a process warning, never a run failure. */
  readonly onEvent?: RunListener;
  /** Told what `onEvent` threw. Default: `process.emitWarning`. */
  readonly onListenerError?: ListenerErrorHandler;
  /**
   * Expected durations by task id (ms): the order ready tasks start in is then searched in the
   * simulator for the shortest schedule.
   */
  readonly estimates?: Estimates;
  /**
   * How much each task's duration varies from run to run (σ of its logarithm; 0.2 ≈ ±20 %, the
   * default): orders as short on the estimates are told apart on samples drawn from it.
   */
  readonly spreads?: Estimates;
  /** Circuit breakers to share. Default: the process-wide ones. */
  readonly breakers?: Breakers;
}

/** A failed task's error: plain JSON, plus, as `cause`, the very value its function threw or rejected with. */
export interface TaskError extends ErrorInfo {
  /** What the function threw or rejected with (absent when it timed out, was refused or cancelled). */
  readonly cause?: unknown;
}

/** A task's record in a {@link RunReport}: its `error` carries the thrown value as `cause`. */
export type TaskReport = Omit<TaskRecord, "error"> & { readonly error?: TaskError };

/**
 * What {@link run} resolves to. `results` is complete when the status is `succeeded`. `results`
 * and `tasks` have no prototype, so any task id (`__proto__`, `constructor`) is a plain key.
 */
export type RunReport<T> = {
  readonly runId: string;
  /** Each task's record, by id. */
  readonly tasks: { readonly [K in keyof T]: TaskReport };
  /** The JSON summary (docs/cli.md, "The JSON summary"). */
  readonly summary: RunSummary;
  readonly analysis: RunAnalysis;
} & (
  | { readonly status: "succeeded"; readonly results: Results<T> }
  | { readonly status: Exclude<RunStatus, "succeeded">; readonly results: Partial<Results<T>> }
);

/**
 * Runs async tasks with dependencies, limits and resilience: each task starts as soon as the
 * tasks it depends on have succeeded. Failures are in the report, never thrown; misuse throws
 * ParexError or TypeError.
 */
export async function run<T extends Record<string, unknown>>(
  tasks: { readonly [K in keyof T]: TaskDefinition<T, K> },
  options: RunOptions = {},
): Promise<RunReport<T>> {
  const { concurrency = Infinity, strategy = "all" } = options;
  expectInteger("concurrency", concurrency, { min: 1, allowInfinity: true });
  expectOneOf("strategy", strategy, strategies);
  const graph = buildGraph(toSpecs(tasks));
  const result = await runGraph(graph, {
    executor: functionExecutor,
    clock: systemClock,
    concurrency,
    strategy,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.estimates ? { estimates: options.estimates } : {}),
    ...(options.spreads ? { spreads: options.spreads } : {}),
    ...(options.breakers ? { breakers: options.breakers } : {}),
    listeners: options.onEvent ? [options.onEvent] : [],
    onListenerError: options.onListenerError ?? warnListenerError,
  });
  const analysis = analyze(graph, result);
  return {
    runId: result.runId,
    status: result.status,
    results: byId(result.results),
    tasks: taskReports(result),
    summary: summarize(result, analysis),
    analysis,
  } as RunReport<T>;
}

/** `entries` as an object without a prototype: a key `__proto__` is an own key like any other. */
function byId(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const object = Object.create(null) as Record<string, unknown>;
  for (const [id, value] of entries) object[id] = value;
  return object;
}

/** Each task's record by id, a failed one's error with what its function threw as `cause`. */
function taskReports(result: RunResult): Record<string, unknown> {
  const thrown = result.thrown ?? new Map<string, unknown>();
  return byId(
    result.tasks.map((task): [string, TaskReport] => {
      if (task.error === undefined || !thrown.has(task.id)) return [task.id, task];
      return [task.id, { ...task, error: { ...task.error, cause: thrown.get(task.id) } }];
    }),
  );
}

function toSpecs(tasks: unknown): TaskSpec<TaskFunction>[] {
  if (typeof tasks !== "object" || tasks === null || Array.isArray(tasks)) {
    throw new TypeError(
      `Expected \`tasks\` to be an object of task definitions, got ${describeValue(tasks)}`,
    );
  }
  return Object.entries(tasks as Readonly<Record<string, unknown>>).map(([id, definition]) => {
    if (typeof definition === "function") return { id, run: definition as TaskFunction };
    const options = definition as Partial<TaskOptions<unknown, unknown>> | null;
    if (typeof options !== "object" || options === null || typeof options.run !== "function") {
      throw new ParexError(
        "INVALID_TASK",
        `Task "${id}" must be a function or an object with a \`run\` function (${taskPath(id)}), got ${describeValue(definition)}.`,
      );
    }
    // Copied key by key: object spreads cost measurably on graphs of 100,000 tasks.
    const spec: Record<string, unknown> = { id };
    for (const key in options) {
      const value = (options as Record<string, unknown>)[key];
      spec[key] = key === "fallback" ? toFallback(value) : value;
    }
    return spec as unknown as TaskSpec<TaskFunction>;
  });
}

function toFallback(fallback: unknown): TaskSpec<TaskFunction>["fallback"] {
  return typeof fallback === "function" ? { run: fallback as TaskFunction } : { value: fallback };
}

const warnListenerError: ListenerErrorHandler = (error, event) => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `A parex event listener threw on "${event.type}": ${message}`,
    "ParexListenerWarning",
  );
};
