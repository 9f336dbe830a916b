import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BreakerStateName, RunEvent } from "../core/index.js";

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
