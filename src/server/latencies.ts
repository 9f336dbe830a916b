import { percentile } from "../core/index.js";
import type { RunEvent } from "../core/index.js";

/** A service's recent answers: how many, and their p50 and p95 in ms. */
export interface RecentLatency {
  readonly calls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** How a service has fared since the server started, for the dashboard. */
export interface ServiceUsage {
  /** Calls made (a call refused by an open breaker is not one). */
  readonly calls: number;
  /** Calls that failed, including those a fallback stood in for. */
  readonly errors: number;
  readonly errorRate: number;
  /** Calls per second over the last minute. */
  readonly throughputPerSec: number;
  /** Over the recent calls; absent before the first. */
  readonly latencyMs?: { readonly p50: number; readonly p95: number; readonly p99: number };
}

/** One call: how long it took and when it ended (clock ms). */
interface Sample {
  readonly ms: number;
  readonly endedAt: number;
}

const minuteMs = 60_000;

/**
 * The last `size` response times of each service (calls that were made, whatever their
 * outcome), and how many calls and errors each had since the server started.
 */
export class Latencies {
  readonly #size: number;
  readonly #samples = new Map<string, Sample[]>();
  readonly #counts = new Map<string, { calls: number; errors: number }>();

  constructor(size: number) {
    this.#size = size;
  }

  /** A run listener that records each called service's response time and outcome. */
  readonly listener = (event: RunEvent): void => {
    if (event.type !== "task.finished") return;
    const first = event.task.spans[0];
    const last = event.task.spans[event.task.spans.length - 1];
    if (first === undefined || last === undefined) return;
    const samples = this.#samples.get(event.taskId) ?? [];
    samples.push({ ms: last.end - first.start, endedAt: event.time });
    if (samples.length > this.#size) samples.shift();
    this.#samples.set(event.taskId, samples);
    const counts = this.#counts.get(event.taskId) ?? { calls: 0, errors: 0 };
    counts.calls++;
    if (event.task.status !== "succeeded" || event.task.fallbackUsed) counts.errors++;
    this.#counts.set(event.taskId, counts);
  };

  /** The recent latency of `service`, or undefined before its first call. */
  of(service: string): RecentLatency | undefined {
    const sorted = this.#sorted(service);
    if (sorted === undefined) return undefined;
    return {
      calls: sorted.length,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
    };
  }

  /** How `service` has fared, at clock time `now`. */
  usage(service: string, now: number): ServiceUsage {
    const { calls, errors } = this.#counts.get(service) ?? { calls: 0, errors: 0 };
    const sorted = this.#sorted(service);
    return {
      calls,
      errors,
      errorRate: calls === 0 ? 0 : errors / calls,
      throughputPerSec: Math.round(this.#rate(service, now) * 1000) / 1000,
      ...(sorted === undefined
        ? {}
        : {
            latencyMs: {
              p50: round(percentile(sorted, 50)),
              p95: round(percentile(sorted, 95)),
              p99: round(percentile(sorted, 99)),
            },
          }),
    };
  }

  #sorted(service: string): number[] | undefined {
    const samples = this.#samples.get(service);
    return samples?.map((sample) => sample.ms).sort((a, b) => a - b);
  }

  /**
   * Calls per second over the last minute. Only the last `size` calls are kept: when all of
   * them ended within the minute, the rate is theirs over the time since the oldest.
   */
  #rate(service: string, now: number): number {
    const samples = this.#samples.get(service) ?? [];
    const recent = samples.filter((sample) => sample.endedAt > now - minuteMs);
    const oldest = samples[0];
    if (oldest !== undefined && recent.length === this.#size && now > oldest.endedAt) {
      return (recent.length * 1000) / (now - oldest.endedAt);
    }
    return (recent.length * 1000) / minuteMs;
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;
