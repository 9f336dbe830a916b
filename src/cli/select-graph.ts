import type { Command, TaskGraph } from "../core/index.js";
import { affectedGraph, subgraph } from "./affected-part.js";
import type { AffectedOptions } from "./affected-part.js";
import type { RunPart } from "./run-parts.js";

/** Which of the project's tasks a run runs. */
export interface GraphChoice {
  /** Set by a watch session's re-run: these tasks and what they need. */
  readonly only?: ReadonlySet<string>;
  /** `--affected`: the tasks a change since a git ref can have touched. */
  readonly affected?: AffectedOptions;
}

/** The graph a run runs, and the part that says in the summary how it was chosen. */
export interface SelectedGraph {
  readonly graph: TaskGraph<Command>;
  readonly part: RunPart;
}

/**
 * The one step that narrows the project's graph before a run: a watch re-run's tasks, or
 * `--affected`'s, or the whole graph (already narrowed to the tasks the command line named).
 * Undefined when nothing is left to run, which has been said.
 */
export async function selectGraph(
  graph: TaskGraph<Command>,
  choice: GraphChoice,
): Promise<SelectedGraph | undefined> {
  if (choice.only !== undefined) return { graph: subgraph(graph, choice.only), part: {} };
  if (choice.affected === undefined) return { graph, part: {} };
  const found = await affectedGraph(graph, choice.affected);
  if (found === undefined) return undefined;
  const { affected } = found;
  return { graph: found.graph, part: { conclude: (summary) => ({ ...summary, affected }) } };
}
