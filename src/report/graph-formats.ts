import type { TaskGraph } from "../core/index.js";

// Characters that end or change a quoted mermaid label (quotes, entity and markdown marks,
// HTML, brackets and pipes of the flowchart syntax, line breaks and other control characters).
const mermaidUnsafe = /["#&<>`[\]{}()|\\;\p{Cc}\u2028\u2029]/gu;

/** An id as a quoted mermaid label: unsafe characters as mermaid's numeric entities (`#34;`). */
function mermaidLabel(id: string): string {
  return `"${id.replace(mermaidUnsafe, (c) => `#${c.codePointAt(0) ?? 0};`)}"`;
}

/**
 * An id as a quoted DOT id, which is also its label. Inside quotes DOT gives meaning to `"` and
 * to a backslash (before a newline it continues the line; in a label `\\` is one backslash),
 * and Graphviz reads `&...;` in a label as an entity: all three are escaped, and a line break is
 * written as the label's line break `\n`. Distinct ids stay distinct, each drawn as it is.
 */
function dotId(id: string): string {
  const escaped = id
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/\n/g, "\\n");
  return `"${escaped}"`;
}

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
      const node = (task: number): string => `  n${task}[${mermaidLabel(id(task))}]`;
      const marked = [...onPath].flatMap((t) => {
        const task = graph.indexOf.get(t);
        return task === undefined ? [] : [`n${task}`];
      });
      return [
        "flowchart LR",
        ...graph.tasks.map((_, task) => node(task)),
        ...edges.map(([from, to]) => `  n${from} ${criticalEdge(from, to) ? "==>" : "-->"} n${to}`),
        ...(marked.length > 0
          ? [
              "  classDef critical stroke:#d9480f,stroke-width:3px",
              `  class ${marked.join(",")} critical`,
            ]
          : []),
      ].join("\n");
    }
    case "dot": {
      const quote = dotId;
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
