// Lays the task graph out off the main thread: dagre takes seconds on thousands of tasks, and
// the page must stay responsive meanwhile (docs/dashboard.md, "Performance").
import type { GraphTask } from "../model/api-types.js";
import { layoutGraph } from "../model/graph-layout.js";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<readonly GraphTask[]>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event) => {
  const started = performance.now();
  const layout = layoutGraph(event.data);
  scope.postMessage({ layout, ms: performance.now() - started });
};
