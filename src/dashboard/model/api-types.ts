// The bodies of the read API the dashboard uses (docs/dashboard.md, "The read API").
import type { GraphLayout, RunStatus, RunSummary } from "../../core/index.js";

/**
 * A run's status as the API reports it: `running` until it ends; `interrupted` when its runner
 * died before the end (history only).
 */
export type RunState = RunStatus | "running" | "interrupted";

/** Every status the runs list can be filtered by. */
export const runFilters: readonly RunState[] = [
  "running",
  "succeeded",
  "failed",
  "partial",
  "cancelled",
  "interrupted",
];

/** A run in `GET /api/v1/runs` and `GET /api/v1/runs/:id`. */
export interface RunInfo {
  readonly runId: string;
  readonly status: RunState;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly pipeline?: string;
  readonly resumedBy?: string;
  /** The JSON summary, once the run ended (one run only). */
  readonly summary?: RunSummary;
}

/** `GET /api/v1/runs`. */
export interface RunsBody {
  readonly runs: readonly RunInfo[];
}

/** One task of `GET /api/v1/runs/:id/graph`, in declaration order. */
export interface GraphTask {
  readonly id: string;
  readonly dependsOn: readonly string[];
  readonly group?: string;
  /** The learned duration estimate, when the history had one. */
  readonly estimateMs?: number;
}

/** `GET /api/v1/runs/:id/graph`: the run's task graph. */
export interface GraphBody {
  readonly runId: string;
  readonly concurrency: number;
  readonly tasks: readonly GraphTask[];
  /** The graph laid out by the runner (large graphs, once per graph); absent: the page lays it out. */
  readonly layout?: GraphLayout;
}

/** Makespan statistics of a period, in ms. */
export interface Spread {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** One period of `GET /api/v1/stats`. */
export interface StatsPeriod {
  /** The period's first day, YYYY-MM-DD. */
  readonly start: string;
  readonly runs: number;
  readonly failed: number;
  readonly failureRate: number;
  readonly makespanMs: Spread;
  readonly throughputPerSec: number;
  /** Of the runs that ran every task to its end; null when none did. */
  readonly efficiency: number | null;
}

/** A task that failed and then passed on a retry. */
export interface FlakyTask {
  readonly id: string;
  readonly runs: number;
  readonly failures: number;
  readonly flips: number;
}

/** `GET /api/v1/stats?by=day|week&days=N`. */
export interface StatsBody {
  readonly periods: readonly StatsPeriod[];
  readonly flaky: readonly FlakyTask[];
}

/** A circuit breaker's state, as the services route spells it. */
export type BreakerState = "closed" | "open" | "half-open";

/** One service of `GET /api/v1/services`. */
export interface ServiceStats {
  readonly name: string;
  readonly calls: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly throughputPerSec: number;
  /** Absent until the service's first call. */
  readonly latencyMs?: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly breaker: BreakerState;
}

/** `GET /api/v1/services` (parex serve only). */
export interface ServicesBody {
  readonly services: readonly ServiceStats[];
}

/** `GET /api/v1/system`: the runner's machine, sampled when asked. */
export interface SystemBody {
  readonly cpus: number;
  readonly loadAvg: readonly number[];
  /** Share of the machine's CPU time busy since the previous answer (0–1). */
  readonly cpuBusy?: number;
  readonly memory: { readonly totalBytes: number; readonly freeBytes: number };
  readonly rssBytes: number;
}

/** The body of every API error. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
