import { Worker } from "node:worker_threads";

/** A browser worker script running in a worker thread: its first answer, and how to end it. */
export interface BrowserWorkerRun<T> {
  /** Its first answer; undefined when it threw, ended without one, or was stopped. */
  readonly answer: Promise<T | undefined>;
  readonly stop: () => void;
}

/**
 * Runs a web worker script built for the browser (it sets `onmessage` on the global object and
 * answers with `postMessage`, as Vite builds the dashboard's workers) in a worker thread of this
 * process, sends it `message`, and ends it after its first answer. The thread does not keep the
 * process alive.
 */
export function runBrowserWorker<T>(file: string, message: unknown): BrowserWorkerRun<T> {
  const worker = new Worker(shim, { eval: true, workerData: file });
  worker.unref();
  const answer = new Promise<T | undefined>((resolve) => {
    worker.once("message", (data: T) => resolve(data));
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  }).finally(() => void worker.terminate());
  worker.postMessage(message);
  return { answer, stop: () => void worker.terminate() };
}

/** The page's side of a worker, in a thread: `postMessage` answers, `onmessage` hears. */
const shim = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { runInThisContext } = require("node:vm");
globalThis.postMessage = (message) => parentPort.postMessage(message);
runInThisContext(readFileSync(workerData, "utf8"), { filename: workerData });
parentPort.once("message", (data) => globalThis.onmessage({ data }));
`;
