import type { RunAnalysis } from "./analysis.js";
import type { Alert } from "./alerts.js";
import type { Bottleneck, RunInsight } from "./insight.js";
import type { ScalabilityPoint } from "./simulate.js";
import type { FailureReason, RunStatus, Strategy, TaskRecord, TaskStatus } from "./outcome.js";
import type { RunResult } from "./run-graph.js";

/** One task in the JSON summary; times in ms from the run's start. */
export interface TaskSummary {
  readonly id: string;
  readonly status: TaskStatus;
  readonly reason?: FailureReason;
  readonly startMs?: number;
  readonly endMs?: number;
  readonly durationMs?: number;
  readonly attempts: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly fallbackUsed: boolean;
  readonly slot?: number;
  /** The distributed worker that ran its last attempt (`host/pid`); absent in a local run. */
  readonly worker?: string;
  readonly group?: string;
  /** Present when the task is optional: not succeeding does not fail the run. */
  readonly optional?: true;
  /**
   * Succeeded in the run this one resumed, or a service still running from an earlier run of a
   * watch session: not run again.
   */
  readonly reused?: boolean;
  /** CPU time of its processes, in ms (process tasks on Linux). */
  readonly cpuMs?: number;
  /** Peak resident memory of its processes, in bytes (process tasks on Linux). */
  readonly peakRssBytes?: number;
  /** Time to start its processes, in ms (process tasks). */
  readonly spawnMs?: number;
  /** When it did not succeed: how it ended, in words ("command not found: eslint"). */
  readonly error?: string;
  /** When it did not succeed: the last lines of its last attempt's output, if it printed any. */
  readonly lastLines?: readonly string[];
  /**
   * How the task cache treated it: `hit` (restored, not run), `miss` (run), `off` (not
   * cached). Absent when the run used no cache.
   */
  readonly cache?: "hit" | "miss" | "off";
  /** The cache key it was looked up or stored under. */
  readonly cacheKey?: string;
  /** For a hit: whether it was restored from this machine's cache or the remote one. */
  readonly cacheSource?: "local" | "remote";
}

/** What the task cache did in a run: hits, misses, and the task time the hits saved. */
export interface CacheSummary {
  readonly hits: number;
  readonly misses: number;
  /** What the hit tasks took when they ran, summed, in ms. */
  readonly savedMs: number;
}

/** What `--affected` compared with and found, in the summary of the run it narrowed. */
export interface AffectedSummary {
  /** The ref compared with, as resolved (a branch, tag or commit). */
  readonly base: string;
  /** How many files changed since it (committed, staged, unstaged and untracked). */
  readonly changedFiles: number;
  /** The tasks affected: those a changed file is an input of, and their dependents. */
  readonly tasks: readonly string[];
}

/** A quality gate's verdict (evaluated by the history layer). */
export interface GateResult {
  readonly name: string;
  readonly status: "pass" | "warn" | "fail";
  readonly value?: number;
  readonly message: string;
}

/** A process a task left running outside its process group, stopped by the runner. */
export interface StrayKilled {
  readonly taskId: string;
  readonly attempt: number;
  readonly pid: number;
  readonly command: string;
}

/** The JSON summary of a run: the contract in docs/cli.md ("The JSON summary"). */
export interface RunSummary {
  readonly runId: string;
  readonly status: RunStatus;
  readonly strategy: Strategy;
  readonly concurrency: number;
  readonly startedAt: string;
  readonly makespanMs: number;
  readonly sequentialMs: number;
  readonly measuredSequentialMs?: number;
  readonly speedup: number;
  readonly efficiency: number;
  /** The longest chain of dependent tasks that ran, by their durations. */
  readonly criticalPath: readonly string[];
  readonly criticalPathMs: number;
  readonly lowerBoundMs: number;
  readonly lowerBoundRatio: number;
  readonly serialFraction: number;
  readonly idleSlotMs: number;
  /**
   * Whether every task ran to its own end in this run (none skipped, cancelled, or reused from
   * the run it resumed). When false, speedup, efficiency, critical path and lower bound cover
   * only what ran, and there is no scalability curve. Absent in summaries stored before it was.
   */
  readonly complete?: boolean;
  readonly tasks: readonly TaskSummary[];
  /** Present when the run used the task cache. */
  readonly cache?: CacheSummary;
  /** Present when `--affected` chose the tasks. */
  readonly affected?: AffectedSummary;
  readonly gates: readonly GateResult[];
  /** Tasks that succeeded per second of makespan. */
  readonly throughputPerSec?: number;
  /** The critical path's tasks, longest first, with their share of it. */
  readonly bottlenecks?: readonly Bottleneck[];
  /** Busy ms per group and slot. */
  readonly distribution?: Readonly<Record<string, readonly number[]>>;
  /** Busy ms per group and distributed worker (`host/pid`), when tasks ran on workers. */
  readonly workerDistribution?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The run this one resumed. */
  readonly resumedFrom?: string;
  /** Alert rules this run set off. */
  readonly alerts?: readonly Alert[];
  /** Simulated makespan for 1..N slots with this run's durations, against wave barriers. */
  readonly scalability?: readonly ScalabilityPoint[];
  /** Processes tasks left running outside their process groups, which the runner stopped. */
  readonly straysKilled?: readonly StrayKilled[];
}

const ms = (value: number): number => Math.round(value * 10) / 10;
const ratio = (value: number): number => Math.round(value * 1000) / 1000;

/** Builds the JSON summary from a run and its analysis (and, when given, its insight). */
export function summarize(run: RunResult, analysis: RunAnalysis, more?: RunInsight): RunSummary {
  const extra =
    more === undefined
      ? {}
      : {
          throughputPerSec: ratio(more.throughputPerSec),
          bottlenecks: more.bottlenecks.map((b) => ({
            id: b.id,
            durationMs: ms(b.durationMs),
            share: ratio(b.share),
          })),
          distribution: Object.fromEntries(
            Object.entries(more.distribution).map(([g, lanes]) => [g, lanes.map(ms)]),
          ),
          ...(more.workerDistribution === undefined
            ? {}
            : {
                workerDistribution: Object.fromEntries(
                  Object.entries(more.workerDistribution).map(([g, workers]) => [
                    g,
                    Object.fromEntries(Object.entries(workers).map(([w, busy]) => [w, ms(busy)])),
                  ]),
                ),
              }),
          scalability: more.scalability.map((p) => ({
            ...p,
            makespanMs: ms(p.makespanMs),
            ...(p.searchedMakespanMs === undefined
              ? {}
              : { searchedMakespanMs: ms(p.searchedMakespanMs) }),
            waveMakespanMs: ms(p.waveMakespanMs),
            lowerBoundMs: ms(p.lowerBoundMs),
            speedup: ratio(p.speedup),
          })),
        };
  return {
    runId: run.runId,
    status: run.status,
    strategy: run.strategy,
    concurrency: run.concurrency,
    startedAt: new Date(run.startedAt).toISOString(),
    makespanMs: ms(analysis.makespanMs),
    sequentialMs: ms(analysis.sequentialMs),
    speedup: ratio(analysis.speedup),
    efficiency: ratio(analysis.efficiency),
    criticalPath: analysis.criticalPath,
    criticalPathMs: ms(analysis.criticalPathMs),
    lowerBoundMs: ms(analysis.lowerBoundMs),
    lowerBoundRatio: ratio(analysis.lowerBoundRatio),
    serialFraction: ratio(analysis.serialFraction),
    idleSlotMs: ms(analysis.idleSlotMs),
    complete: analysis.complete,
    tasks: run.tasks.map((task) =>
      summarizeTask(task, run.startedAt, analysis.errors.get(task.id)),
    ),
    gates: [],
    ...extra,
  };
}

function summarizeTask(task: TaskRecord, origin: number, error: string | undefined): TaskSummary {
  const summary: { -readonly [K in keyof TaskSummary]: TaskSummary[K] } = {
    id: task.id,
    status: task.status,
    attempts: task.attempts,
    fallbackUsed: task.fallbackUsed,
  };
  if (task.reason !== undefined) summary.reason = task.reason;
  const first = task.spans[0];
  const last = task.spans[task.spans.length - 1];
  if (first !== undefined && last !== undefined) {
    let busy = 0;
    for (const span of task.spans) busy += span.end - span.start;
    summary.startMs = ms(first.start - origin);
    summary.endMs = ms(last.end - origin);
    summary.durationMs = ms(busy);
    summary.slot = last.slot;
  }
  if (task.exitCode !== undefined) summary.exitCode = task.exitCode;
  if (task.signal !== undefined) summary.signal = task.signal;
  if (task.group !== undefined) summary.group = task.group;
  if (task.optional) summary.optional = true;
  if (task.reused === true) summary.reused = true;
  if (task.cpuMs !== undefined) summary.cpuMs = ms(task.cpuMs);
  if (task.peakRssBytes !== undefined) summary.peakRssBytes = task.peakRssBytes;
  if (task.spawnMs !== undefined) summary.spawnMs = ms(task.spawnMs);
  if (task.worker !== undefined) summary.worker = task.worker;
  if (error !== undefined) summary.error = error;
  return summary;
}
