import type { TaskGraph } from "../core/index.js";

/** Graph output formats of `parex graph`. */
export type GraphFormat = "mermaid" | "dot" | "json";

/** Renders a task graph; an edge points from a dependency to its dependent (the order work flows). */
export function renderGraph(
  graph: TaskGraph,
  format: GraphFormat,
  critical: readonly string[] = [],
): string {
  const onPath = new Set(critical);
  const edges = graph.dependencies.flatMap((deps, task) => deps.map((dep) => [dep, task] as const));
  const id = (task: number): string => graph.tasks[task]?.id ?? "";
  const criticalEdge = (from: number, to: number): boolean =>
    onPath.has(id(from)) && onPath.has(id(to));
  switch (format) {
    case "json":
      return JSON.stringify(
        {
          tasks: graph.tasks.map((t, i) => ({
            id: t.id,
            dependsOn: (graph.dependencies[i] ?? []).map(id),
          })),
          criticalPath: critical,
        },
        null,
        2,
      );
    case "mermaid": {
      const node = (task: number): string => `  n${task}["${id(task).replace(/"/g, "#quot;")}"]`;
      return [
        "flowchart LR",
        ...graph.tasks.map((_, task) => node(task)),
        ...edges.map(([from, to]) => `  n${from} ${criticalEdge(from, to) ? "==>" : "-->"} n${to}`),
        ...(onPath.size > 0
          ? [
              "  classDef critical stroke:#d9480f,stroke-width:3px",
              `  class ${[...onPath].map((t) => `n${graph.indexOf.get(t) ?? 0}`).join(",")} critical`,
            ]
          : []),
      ].join("\n");
    }
    case "dot": {
      const quote = (text: string): string =>
        `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
      return [
        "digraph parex {",
        "  rankdir=LR;",
        ...graph.tasks.map(
          (t) => `  ${quote(t.id)}${onPath.has(t.id) ? " [color=orangered, penwidth=3]" : ""};`,
        ),
        ...edges.map(
          ([from, to]) =>
            `  ${quote(id(from))} -> ${quote(id(to))}${criticalEdge(from, to) ? " [color=orangered, penwidth=3]" : ""};`,
        ),
        "}",
      ].join("\n");
    }
    default:
      return format satisfies never;
  }
}
