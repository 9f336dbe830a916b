import type { Admission } from "./admission.js";
import type { Breakers, Clock, Executor, ServiceSpec } from "../core/index.js";
import type { ServiceRequest } from "./http-executor.js";
import type { Latencies } from "./latencies.js";
import type { Metrics } from "./metrics.js";
import type { PipelineRuns } from "./pipeline-runs.js";

/** What the routes share: configuration, the engine's ports and the server's own state. */
export interface ServerState {
  readonly services: Readonly<Record<string, ServiceSpec>>;
  readonly executor: Executor<ServiceRequest>;
  readonly clock: Clock;
  readonly breakers: Breakers;
  readonly metrics: Metrics;
  /** How many orchestrations run and wait at once; undefined: no bound. */
  readonly admission: Admission | undefined;
  /** Each service's recent response times. */
  readonly latencies: Latencies;
  /** The runs of configured pipelines. */
  readonly runs: PipelineRuns;
  /** Aborted when a shutdown cancels running orchestrations. */
  readonly shutdown: AbortSignal;
  /** Aborted when the server starts closing: it is no longer ready. */
  readonly draining: AbortSignal;
}
