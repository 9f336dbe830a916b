import type { GraphOutline } from "../core/index.js";
import { keptFrom } from "./graph-layouts.js";
import type { GraphLayouts, Laying } from "./graph-layouts.js";
import type { RunPart } from "./run-parts.js";

/** A run's graph for the dashboard, with its layout when there is one. */
export interface LaidOutGraph {
  /** The outline with the layout kept from an earlier run of the graph, read when asked. */
  readonly kept: () => GraphOutline;
  /** The outline with its layout, waiting for it while it is being made; never rejects. */
  readonly laidOut: () => Promise<GraphOutline>;
  readonly part: RunPart;
}

/**
 * A large graph's layout for the dashboard: the one kept from an earlier run of the same graph
 * (only looked for here: a run without a dashboard or a report reads none); or, the first time,
 * laid out in a worker thread from the moment the run starts (when its `.parex` exists, with
 * its `.gitignore`) while the tasks run, and kept as the part closes: a run shorter than the
 * layout waits for it then, once; an interrupted one stops it. `layouts` undefined (no history,
 * or no built dashboard): nothing is laid out.
 */
export function layoutPart(layouts: GraphLayouts | undefined, outline: GraphOutline): LaidOutGraph {
  if (layouts === undefined || outline.tasks.length < keptFrom) {
    return { kept: () => outline, laidOut: () => Promise.resolve(outline), part: {} };
  }
  const kept = (): GraphOutline => layouts.withLayout(outline);
  if (layouts.has(outline)) return { kept, laidOut: () => Promise.resolve(kept()), part: {} };
  let laying: Laying | undefined;
  const done = async (): Promise<void> => {
    await laying?.done;
  };
  return {
    kept,
    laidOut: () => done().then(kept),
    part: {
      listener: (event) => {
        if (event.type === "run.started") laying ??= layouts.layOut(outline);
      },
      conclude: (summary, ended) => {
        if (ended.interrupted !== undefined) laying?.stop();
        return summary;
      },
      close: done,
    },
  };
}
