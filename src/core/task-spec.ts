import type { BreakerPolicy } from "./policies/breaker.js";
import type { RetryPolicy } from "./policies/retry.js";

/**
 * One task of a graph, as plain data. `A` is the action an executor knows how to run: a
 * function in process, a command line, a service call. Everything else is policy, interpreted
 * by core, so the same spec goes into a config file, a SQLite row or a queue job unchanged.
 */
export interface TaskSpec<A = unknown> {
  /** Unique id within the graph. */
  readonly id: string;
  /** What the executor runs. */
  readonly run: A;
  /** Ids of the tasks that must succeed before this one starts. */
  readonly dependsOn?: readonly string[];
  /** Higher runs first among ready tasks. Default 0. */
  readonly priority?: number;
  /** Concurrency slots this task occupies while running (clamped to the run's limit). Default 1. */
  readonly slots?: number;
  /** Tasks with the same mutex never run at the same time. */
  readonly mutex?: string;
  /** Each attempt is aborted after this many ms, at most 2^31 − 1 (about 24.8 days). Default: no limit. */
  readonly timeoutMs?: number;
  /** Retries of failed attempts. Default: none. */
  readonly retry?: RetryPolicy;
  /** Circuit breaker shared with other tasks of the same key. Default: none. */
  readonly breaker?: BreakerPolicy;
  /** What stands in for the result when every attempt failed. Default: none. */
  readonly fallback?: FallbackSpec<A>;
  /**
   * This task may fail without failing or cancelling the run, under any strategy; its
   * dependents are skipped. Default false.
   */
  readonly optional?: boolean;
  /**
   * A long-running service: its dependents start once the executor reports it ready, and it is
   * stopped (its signal aborted) when every other task has ended. Default false.
   */
  readonly persistent?: boolean;
  /** A label for reports (build, test, lint, ...). */
  readonly group?: string;
}

/** A fallback: a fixed value, or another action run once by the same executor. */
export type FallbackSpec<A> = { readonly value: unknown } | { readonly run: A };

/** Where a task's field sits in its source, e.g. `tasks.deploy.dependsOn[0]`. */
export function taskPath(id: string, ...rest: readonly (string | number)[]): string {
  const head = /^[A-Za-z_$][\w$-]*$/.test(id) ? `tasks.${id}` : `tasks[${JSON.stringify(id)}]`;
  return rest.reduce<string>(
    (path, part) => (typeof part === "number" ? `${path}[${part}]` : `${path}.${part}`),
    head,
  );
}

/** The parenthesised location of an error: `(parex.config.json, tasks.a.dependsOn[0])`. */
export function location(path: string, source?: string): string {
  return source === undefined ? `(${path})` : `(${source}, ${path})`;
}
