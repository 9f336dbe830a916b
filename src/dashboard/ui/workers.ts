// The page's web workers: built by Vite beside the page on a served dashboard, taken from the
// page itself in the HTML report. Each `new Worker(new URL(…, import.meta.url))` is spelled out
// whole: that is the form Vite finds and builds a worker from.
import { embeddedWorker } from "./embedded-report.js";

/** The worker that lays the task graph out (layout-worker.ts). */
export function layoutWorker(): Worker {
  return (
    embeddedWorker("layout-worker") ??
    new Worker(new URL("./layout-worker.ts", import.meta.url), { type: "module" })
  );
}

/** The worker that simulates the forecast (forecast-worker.ts). */
export function forecastWorker(): Worker {
  return (
    embeddedWorker("forecast-worker") ??
    new Worker(new URL("./forecast-worker.ts", import.meta.url), { type: "module" })
  );
}
