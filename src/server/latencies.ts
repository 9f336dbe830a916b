import { percentile } from "../core/index.js";
import type { RunEvent } from "../core/index.js";

/** A service's recent answers: how many, and their p50 and p95 in ms. */
export interface RecentLatency {
  readonly calls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** The last `size` response times of each service (calls that were made, whatever their outcome). */
export class Latencies {
  readonly #size: number;
  readonly #samples = new Map<string, number[]>();

  constructor(size: number) {
    this.#size = size;
  }

  /** A run listener that records each called service's response time. */
  readonly listener = (event: RunEvent): void => {
    if (event.type !== "task.finished") return;
    const first = event.task.spans[0];
    const last = event.task.spans[event.task.spans.length - 1];
    if (first === undefined || last === undefined) return;
    const samples = this.#samples.get(event.taskId) ?? [];
    samples.push(last.end - first.start);
    if (samples.length > this.#size) samples.shift();
    this.#samples.set(event.taskId, samples);
  };

  /** The recent latency of `service`, or undefined before its first call. */
  of(service: string): RecentLatency | undefined {
    const samples = this.#samples.get(service);
    if (samples === undefined) return undefined;
    const sorted = [...samples].sort((a, b) => a - b);
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    return {
      calls: samples.length,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
    };
  }
}
