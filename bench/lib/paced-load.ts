/**
 * An open-loop load client: request i is due at start + i / rate, whether or not earlier ones
 * have been answered, and its latency counts from when it was due, not from when a free
 * connection let it leave. So a server that falls behind shows it in its latencies
 * (no "coordinated omission"), and the rate is the rate asked, spread evenly — not each
 * second's budget released at once, as autocannon's `overallRate` does.
 */
import { Pool } from "undici";

export interface PacedLoadOptions {
  /** Origin of the server, e.g. http://127.0.0.1:3000. */
  readonly origin: string;
  readonly path: string;
  readonly method: "GET" | "POST";
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Requests per second. */
  readonly rate: number;
  /** Measured seconds, after the warm-up. */
  readonly seconds: number;
  /** Seconds at the same rate before measuring, not counted (JIT, connection set-up). */
  readonly warmupSeconds?: number;
  /** Most connections open at once; requests beyond them wait, and their wait counts. */
  readonly connections?: number;
}

export interface PacedLoadResult {
  /** Latencies in ms of the measured requests answered with a 2xx, ascending. */
  readonly latencies: readonly number[];
  readonly sent: number;
  /** Non-2xx answers and failed requests among the measured ones. */
  readonly errors: number;
  /** Measured requests answered per second, over the time from first due to last answer. */
  readonly rate: number;
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  // A hung server fails its requests after 10 s instead of stalling the benchmark.
  const pool = new Pool(options.origin, {
    connections: options.connections ?? 64,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const interval = 1000 / options.rate;
  const warmup = Math.round((options.warmupSeconds ?? 2) * options.rate);
  const total = warmup + Math.round(options.seconds * options.rate);
  const latencies: number[] = [];
  let errors = 0;
  let lastAnswer = 0;
  let settled = 0;
  const start = performance.now() + 10;
  const measuredFrom = start + warmup * interval;

  const send = (due: number, measured: boolean, onSettled: () => void): void => {
    pool
      .request({
        path: options.path,
        method: options.method,
        headers: options.headers,
        ...(options.body === undefined ? {} : { body: options.body }),
      })
      .then(async ({ statusCode, body }) => {
        await body.dump();
        const now = performance.now();
        if (!measured) return;
        lastAnswer = now;
        if (statusCode >= 200 && statusCode < 300) latencies.push(now - due);
        else errors++;
      })
      .catch(() => {
        if (measured) errors++;
      })
      .finally(onSettled);
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const done = (): void => {
      if (++settled === total) resolve();
    };
    const tick = (): void => {
      const now = performance.now();
      for (; next < total && start + next * interval <= now; next++) {
        send(start + next * interval, next >= warmup, done);
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, 10);
  });
  await pool.close();
  const sorted = latencies.sort((a, b) => a - b);
  const measured = total - warmup;
  return {
    latencies: sorted,
    sent: measured,
    errors,
    rate: sorted.length / ((lastAnswer - measuredFrom) / 1000),
  };
}
