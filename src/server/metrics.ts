import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BreakerStateName, RunEvent } from "../core/index.js";
import type { QueueReader, QueueSnapshot } from "./queue-snapshot.js";

const breakerLevels: Readonly<Record<BreakerStateName, number>> = {
  CLOSED: 0,
  HALF_OPEN: 1,
  OPEN: 2,
};

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process never
 * collide): runs and tasks by status, task durations, breaker states and HTTP latency.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #runs = new Counter({
    name: "parex_runs_total",
    help: "Runs finished (orchestrations and pipelines), by kind and status.",
    labelNames: ["kind", "status"],
    registers: [this.registry],
  });
  readonly #tasks = new Counter({
    name: "parex_tasks_total",
    help: "Tasks (service calls and pipeline tasks) finished, by status.",
    labelNames: ["kind", "status"],
    registers: [this.registry],
  });
  readonly #taskSeconds = new Histogram({
    name: "parex_task_duration_seconds",
    help: "Time from a task's first start to its end, in seconds.",
    labelNames: ["kind", "task"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly #breakers = new Gauge({
    name: "parex_breaker_state",
    help: "Circuit breaker state per key: 0 closed, 1 half-open, 2 open.",
    labelNames: ["key"],
    registers: [this.registry],
  });
  readonly #http = new Histogram({
    name: "parex_http_request_duration_seconds",
    help: "HTTP request latency, by method, route and status code.",
    labelNames: ["method", "route", "status_code"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly #shed = new Counter({
    name: "parex_http_shed_total",
    help: "Requests refused with 503 OVERLOADED, by reason (queue-full, queue-timeout, runs-full).",
    labelNames: ["reason"],
    registers: [this.registry],
  });

  /** A listener that counts one run's events under `kind` ("orchestration" or "pipeline"). */
  listener(kind: string): (event: RunEvent) => void {
    return (event) => {
      if (event.type === "run.finished") this.#runs.inc({ kind, status: event.status });
      else if (event.type === "breaker.changed") this.breaker(event.key, event.to);
      else if (event.type === "tasks.finished") {
        this.#tasks.inc({ kind, status: event.status }, event.taskIds.length);
      } else if (event.type === "task.finished") {
        this.#tasks.inc({ kind, status: event.task.status });
        const first = event.task.spans[0];
        const last = event.task.spans[event.task.spans.length - 1];
        if (first !== undefined && last !== undefined) {
          this.#taskSeconds.observe({ kind, task: event.taskId }, (last.end - first.start) / 1000);
        }
      }
    };
  }

  /**
   * Adds the distributed queue's gauges, read from Redis at each scrape: jobs by state and
   * workers listening. A scrape while Redis does not answer leaves them out.
   */
  queue(read: QueueReader): void {
    let last: Promise<QueueSnapshot | undefined> | undefined;
    // Both gauges of one scrape share one read.
    const snapshot = (): Promise<QueueSnapshot | undefined> =>
      (last ??= read()
        .catch(() => undefined)
        .finally(() => setImmediate(() => (last = undefined))));
    new Gauge({
      name: "parex_queue_jobs",
      help: "Jobs of the distributed queue, by BullMQ state (waiting, active, completed, failed, ...).",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        this.reset();
        const now = await snapshot();
        for (const [state, count] of Object.entries(now?.jobs ?? {})) this.set({ state }, count);
      },
    });
    new Gauge({
      name: "parex_queue_workers",
      help: "Workers listening on the distributed queue (heartbeat younger than 10 s), and their slots.",
      labelNames: ["measure"],
      registers: [this.registry],
      async collect() {
        this.reset();
        const now = await snapshot();
        if (now === undefined) return;
        this.set({ measure: "workers" }, now.workers.length);
        this.set(
          { measure: "slots" },
          now.workers.reduce((sum, w) => sum + w.slots, 0),
        );
        this.set(
          { measure: "running" },
          now.workers.reduce((sum, w) => sum + w.running, 0),
        );
      },
    });
  }

  /** Sets a breaker's gauge. */
  breaker(key: string, state: BreakerStateName): void {
    this.#breakers.set({ key }, breakerLevels[state]);
  }

  /** Counts one request shed by the admission limits. */
  shed(reason: string): void {
    this.#shed.inc({ reason });
  }

  /** Reports the admission's load as gauges, read at each scrape. */
  admission(load: { readonly inFlight: number; readonly queued: number }): void {
    new Gauge({
      name: "parex_orchestrations_in_flight",
      help: "Orchestrations being served now.",
      registers: [this.registry],
      collect() {
        this.set(load.inFlight);
      },
    });
    new Gauge({
      name: "parex_orchestrations_queued",
      help: "Orchestrations waiting for a turn now.",
      registers: [this.registry],
      collect() {
        this.set(load.queued);
      },
    });
  }

  /** Records one answered HTTP request. */
  request(method: string, route: string, statusCode: number, seconds: number): void {
    this.#http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
