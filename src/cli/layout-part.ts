import type { GraphOutline } from "../core/index.js";
import { keptFrom } from "./graph-layouts.js";
import type { GraphLayouts, Laying } from "./graph-layouts.js";
import type { RunPart } from "./run-parts.js";

/** A run's graph for the dashboard, and its layout once there is one. */
export interface LaidOutGraph {
  /** The outline, with the layout kept from an earlier run of the same graph if there was one. */
  readonly outline: GraphOutline;
  /** Waits for the layout when it is being made (a report holds it); never rejects. */
  readonly laidOut: () => Promise<GraphOutline>;
  readonly part: RunPart;
}

/**
 * A large graph's layout for the dashboard: the one kept from an earlier run of the same graph,
 * given with the outline; or, the first time, laid out in a worker thread from the moment the
 * run starts (when its `.parex` exists, with its `.gitignore`) while the tasks run, and kept as
 * the part closes: a run shorter than the layout waits for it then, once; an interrupted one
 * does not. `layouts` undefined (no history, or no built dashboard): nothing is laid out.
 */
export function layoutPart(layouts: GraphLayouts | undefined, outline: GraphOutline): LaidOutGraph {
  const as = (given: GraphOutline): LaidOutGraph => ({
    outline: given,
    laidOut: () => Promise.resolve(given),
    part: {},
  });
  if (layouts === undefined || outline.tasks.length < keptFrom) return as(outline);
  const found = layouts.withLayout(outline);
  if (found.layout !== undefined) return as(found);
  let laying: Laying | undefined;
  const done = async (): Promise<void> => {
    await laying?.done;
  };
  return {
    outline,
    laidOut: () => done().then(() => layouts.withLayout(outline)),
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
