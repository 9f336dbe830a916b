import type { RunAnalysis } from "./analysis.js";
import { busyMatrix } from "./busy-matrix.js";
import type { TaskGraph } from "./graph.js";
import type { RunResult } from "./run-types.js";
import { scalability } from "./simulate.js";
import type { ScalabilityPoint } from "./simulate.js";

/** A task on the critical path and its share of it. */
export interface Bottleneck {
  readonly id: string;
  readonly durationMs: number;
  /** durationMs / critical path length. */
  readonly share: number;
}

/** What a run says beyond its makespan: seed 001's panels, computed. */
export interface RunInsight {
  /** Tasks that succeeded per second of makespan. */
  readonly throughputPerSec: number;
  /** The critical path's tasks, longest first. */
  readonly bottlenecks: readonly Bottleneck[];
  /** Busy ms per group (build, test, ...) and slot: who did what. */
  readonly distribution: Readonly<Record<string, readonly number[]>>;
  /**
   * Busy ms per group and distributed worker (`host/pid`), when tasks ran on workers: the
   * distribution over machines rather than over the coordinator's slots.
   */
  readonly workerDistribution?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Simulated makespans of these tasks (with these durations) for 1..N slots, against wave
   * barriers; empty when the run was not complete, as a curve would invent the missing durations.
   */
  readonly scalability: readonly ScalabilityPoint[];
}

/** Insight into a finished run; `maxSlots` bounds the scalability curve (default: the run's slots, at least 4). */
export function insight(
  graph: TaskGraph,
  run: RunResult,
  analysis: RunAnalysis,
  maxSlots?: number,
): RunInsight {
  const durations = new Map<string, number>();
  for (const task of run.tasks) {
    for (const span of task.spans) {
      durations.set(task.id, (durations.get(task.id) ?? 0) + span.end - span.start);
    }
  }
  const succeeded = run.tasks.filter((t) => t.status === "succeeded").length;
  const bottlenecks = analysis.criticalPath
    .map((id) => {
      const durationMs = durations.get(id) ?? 0;
      return {
        id,
        durationMs,
        share: analysis.criticalPathMs > 0 ? durationMs / analysis.criticalPathMs : 0,
      };
    })
    .sort((a, b) => b.durationMs - a.durationMs);
  const slots = Math.min(graph.tasks.length, maxSlots ?? Math.max(4, run.concurrency));
  return {
    throughputPerSec: analysis.makespanMs > 0 ? (succeeded * 1000) / analysis.makespanMs : 0,
    bottlenecks,
    ...busyMatrix(run.tasks, run.concurrency),
    scalability:
      durations.size === 0 || !analysis.complete
        ? []
        : scalability(graph, durations, Math.max(1, slots)),
  };
}
