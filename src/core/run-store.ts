import type { RunListener } from "./events.js";
import type { GraphOutline } from "./graph-outline.js";

/**
 * The port through which runs are remembered. The scheduler reads learned durations from it;
 * the run's events are written to it as they happen. Implementations must never throw into a
 * run: a store that cannot write says so once and carries on without history.
 */
export interface RunStore {
  /** Expected duration of each task of this config, in ms, learned from earlier runs. */
  estimates(): ReadonlyMap<string, number>;
  /**
   * How much each task's duration varies from run to run, learned from earlier runs: the σ of
   * its logarithm (0.2: about ±20 %), by task id.
   */
  spreads(): ReadonlyMap<string, number>;
  /** Subscribes to a run: every event is recorded as it happens. */
  readonly listener: RunListener;
  /** Attaches the run's task graph, once its `run.started` event has been recorded. */
  saveGraph(runId: string, graph: GraphOutline): void;
  /** Attaches the run's JSON summary once it is known. */
  saveSummary(runId: string, summary: unknown): void;
  /** Closes the store (a journal commits its run to the history as it closes). */
  close(): void | Promise<void>;
}
