import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Samples the event loop's delay and reports its 99th percentile every `intervalMs`: how late
 * the server runs what is ready, the measure of a Node server's CPU saturation. Returns a
 * function that stops sampling.
 */
export function watchLoopDelay(intervalMs: number, report: (p99Ms: number) => void): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    // The timer's own resolution (10 ms) is not delay.
    report(Math.max(0, histogram.percentile(99) / 1e6 - 10));
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}
