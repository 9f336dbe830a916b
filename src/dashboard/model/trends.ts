import type { StatsBody } from "./api-types.js";

/** The stats as chart columns, oldest period first; x in seconds since the epoch (uPlot's time). */
export interface TrendColumns {
  readonly x: number[];
  readonly runs: number[];
  readonly mean: number[];
  readonly p50: number[];
  readonly p95: number[];
  readonly p99: number[];
  readonly failureRate: number[];
  readonly throughput: number[];
  /** null: no run of the period ran every task to its end, so no point. */
  readonly efficiency: (number | null)[];
}

/** Chart columns of `GET /api/v1/stats`, whatever order its periods come in. */
export function trendColumns(stats: StatsBody): TrendColumns {
  const periods = [...stats.periods].sort((a, b) => (a.start < b.start ? -1 : 1));
  return {
    x: periods.map((p) => Date.parse(`${p.start}T00:00:00Z`) / 1000),
    runs: periods.map((p) => p.runs),
    mean: periods.map((p) => p.makespanMs.mean),
    p50: periods.map((p) => p.makespanMs.p50),
    p95: periods.map((p) => p.makespanMs.p95),
    p99: periods.map((p) => p.makespanMs.p99),
    failureRate: periods.map((p) => p.failureRate),
    throughput: periods.map((p) => p.throughputPerSec),
    efficiency: periods.map((p) => p.efficiency),
  };
}
