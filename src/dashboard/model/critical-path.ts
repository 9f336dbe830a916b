import { buildGraph, criticalPath } from "../../core/index.js";
import type { GraphTask } from "./api-types.js";
import type { TaskTable } from "./task-table.js";

/** The critical path as sets, for drawing: its tasks, and its edges as `from → to` keys. */
export interface CriticalSet {
  readonly tasks: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

/** The key of the edge from a dependency to its dependent. */
export const edgeKey = (from: string, to: string): string => `${from}\u0000${to}`;

/** The sets of a critical path given as its task ids, first to last. */
export function criticalSet(path: readonly string[]): CriticalSet {
  const edges = new Set<string>();
  for (let i = 1; i < path.length; i++) edges.add(edgeKey(path[i - 1] ?? "", path[i] ?? ""));
  return { tasks: new Set(path), edges };
}

/**
 * The longest chain of dependent tasks by how long each ran (first start to last end), by
 * core's critical path: for a run whose summary has not arrived yet. Tasks that never ran
 * weigh 0 and are left off its ends.
 */
export function criticalPathOf(tasks: readonly GraphTask[], table: TaskTable): string[] {
  const ids = new Set(tasks.map((task) => task.id));
  const graph = buildGraph(
    tasks.map((task) => ({
      id: task.id,
      dependsOn: task.dependsOn.filter((id) => ids.has(id)),
      run: null,
    })),
  );
  const weights = Float64Array.from(graph.tasks, (task) => {
    const row = table.get(task.id);
    return row?.startMs !== undefined && row.endMs !== undefined ? row.endMs - row.startMs : 0;
  });
  const ran = (id: string): boolean => table.get(id)?.startMs !== undefined;
  return criticalPath(graph, weights).path.filter(ran);
}
