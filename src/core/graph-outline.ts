import type { TaskGraph } from "./graph.js";
import type { GraphLayout } from "./graph-layout.js";

/** One task of a {@link GraphOutline}. */
export interface OutlineTask {
  readonly id: string;
  /** Ids of the tasks it waits for, as declared (duplicates removed). */
  readonly dependsOn: readonly string[];
  readonly group?: string;
  /** Its duration learned from earlier runs, in ms; absent when none was learned yet. */
  readonly estimateMs?: number;
}

/**
 * A run's task graph as plain JSON: what a dashboard needs to draw it and to predict the run
 * (ETA, makespan) while it runs. Kept in the history with each run, served by the HTTP API.
 */
export interface GraphOutline {
  /** The run's slots; a run without a limit has one per task (as many as could ever run). */
  readonly concurrency: number;
  /** In declaration order. */
  readonly tasks: readonly OutlineTask[];
  /** Where the dashboard draws its tasks, when the runner laid the graph out (large graphs). */
  readonly layout?: GraphLayout;
}

/** The outline of `graph` run at `concurrency`, with the `estimates` known for its tasks. */
export function graphOutline(
  graph: TaskGraph,
  options: { readonly concurrency: number; readonly estimates: ReadonlyMap<string, number> },
): GraphOutline {
  const tasks = graph.tasks.map((spec, i): OutlineTask => {
    const estimateMs = options.estimates.get(spec.id);
    return {
      id: spec.id,
      dependsOn: (graph.dependencies[i] ?? []).map((dep) => graph.tasks[dep]?.id ?? ""),
      ...(spec.group === undefined ? {} : { group: spec.group }),
      ...(estimateMs === undefined ? {} : { estimateMs }),
    };
  });
  const concurrency = Number.isFinite(options.concurrency)
    ? options.concurrency
    : Math.max(1, tasks.length);
  return { concurrency, tasks };
}
