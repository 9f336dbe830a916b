import type { GraphOutline, RunStore } from "../core/index.js";
import type { RunPart } from "./run-parts.js";

/**
 * The run recorded in the history: its events as they happen, its task graph as it starts
 * (for the dashboard to draw it later), and the record committed as the part closes.
 */
export function historyPart(history: RunStore, runId: string, graph: GraphOutline): RunPart {
  return {
    listener: (event) => {
      history.listener(event);
      if (event.type === "run.started" && event.runId === runId) history.saveGraph(runId, graph);
    },
    close: () => history.close(),
  };
}
