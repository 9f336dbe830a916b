// Simulates the forecast off the main thread: the predicted makespan once, the time left each
// second while a run is live; on a graph of thousands of tasks each simulation is a long task
// the page would otherwise stall on (docs/dashboard.md, "Performance").
import type { GraphTask } from "../model/api-types.js";
import { Forecaster } from "../model/forecast.js";
import type { Forecast, Progress } from "../model/forecast.js";

/** What the page sends: the run's graph first, then each question. */
export type ForecastQuestion =
  | {
      readonly kind: "graph";
      readonly tasks: readonly GraphTask[];
      readonly concurrency: number;
    }
  | { readonly kind: "at"; readonly progress: Progress; readonly nowMs: number };

/** The answer to an `at`: undefined when no task has a learned duration. */
export interface ForecastAnswer {
  readonly forecast: Forecast | undefined;
}

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ForecastQuestion>) => void) | null;
  postMessage(message: ForecastAnswer): void;
};

let forecaster: Forecaster | undefined;

scope.onmessage = (event) => {
  const question = event.data;
  if (question.kind === "graph") {
    forecaster = new Forecaster(question.tasks, question.concurrency);
    return;
  }
  scope.postMessage({ forecast: forecaster?.from(question.progress, question.nowMs) });
};
