import { buildGraph, followAbort, runGraph } from "../core/index.js";
import type {
  Breakers,
  Clock,
  Executor,
  RetryPolicy,
  RunListener,
  RunResult,
  ServiceSpec,
  TaskSpec,
} from "../core/index.js";
import type { ServiceRequest } from "./http-executor.js";
import type { OrchestrateBody } from "./orchestrate-schema.js";
import type { SelectedService } from "./select-services.js";

/** What an orchestration needs besides the request. */
export interface OrchestrationContext {
  readonly executor: Executor<ServiceRequest>;
  readonly clock: Clock;
  /** Shared by every request: a service's breaker counts failures across them. */
  readonly breakers: Breakers;
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  /** The request's correlation id, passed on to every service. */
  readonly correlationId: string;
  readonly listeners: readonly RunListener[];
  readonly onListenerError: (error: unknown) => void;
}

/** Defaults of the optional body fields. */
export const orchestrateDefaults = {
  parallelExecution: true,
  maxConcurrency: 10,
  timeout: 30_000,
  aggregationStrategy: "all",
  enableFallbacks: true,
} as const;

/** The breaker key of a service: one breaker per service, whichever request calls it. */
export const breakerKey = (service: string): string => `service:${service}`;

/**
 * Calls the selected services through the engine: each starts once the services it depends on
 * answered, within the request's concurrency, each call under its timeout, retries and the
 * service's shared breaker, and the whole under the request's deadline.
 */
export async function orchestrate(
  body: OrchestrateBody,
  selected: readonly SelectedService[],
  context: OrchestrationContext,
): Promise<{ readonly run: RunResult; readonly deadlinePassed: boolean }> {
  const deadlineMs = body.timeout ?? orchestrateDefaults.timeout;
  const graph = buildGraph(
    selected.map((service) =>
      taskFor(service, body, { deadlineMs, correlationId: context.correlationId }),
    ),
  );
  // One controller for the deadline and the caller's signal. Not AbortSignal.any: on Node 20
  // each call leaves a dependant on a long-lived source signal.
  const halt = new AbortController();
  let deadlinePassed = false;
  const cancelTimer = context.clock.setTimer(deadlineMs, () => {
    deadlinePassed = true;
    halt.abort(new DOMException(`Deadline of ${deadlineMs} ms passed`, "TimeoutError"));
  });
  const unsubscribe = followAbort(context.signal, halt);
  try {
    const run = await runGraph(graph, {
      executor: context.executor,
      clock: context.clock,
      concurrency:
        body.parallelExecution === false
          ? 1
          : (body.maxConcurrency ?? orchestrateDefaults.maxConcurrency),
      strategy: body.aggregationStrategy ?? orchestrateDefaults.aggregationStrategy,
      breakers: context.breakers,
      signal: halt.signal,
      listeners: context.listeners,
      onListenerError: context.onListenerError,
    });
    return { run, deadlinePassed };
  } finally {
    cancelTimer();
    unsubscribe();
  }
}

function taskFor(
  { name, spec, optional }: SelectedService,
  body: OrchestrateBody,
  { deadlineMs, correlationId }: { readonly deadlineMs: number; readonly correlationId: string },
): TaskSpec<ServiceRequest> {
  const retry = retryFor(spec, body.retryAttempts);
  const fallback =
    (body.enableFallbacks ?? orchestrateDefaults.enableFallbacks) ? spec.fallback : undefined;
  return {
    id: name,
    run: { service: name, call: spec, input: body.input ?? {}, correlationId },
    dependsOn: spec.dependsOn ?? [],
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: Math.min(spec.timeoutMs, deadlineMs) }),
    breaker: { ...spec.breaker, key: breakerKey(name) },
    optional,
    ...(retry === undefined ? {} : { retry }),
    ...(fallback === undefined ? {} : { fallback }),
  };
}

/** The service's retry policy, with `retryAttempts` retries when the request sets them. */
function retryFor(spec: ServiceSpec, retryAttempts: number | undefined): RetryPolicy | undefined {
  if (retryAttempts === undefined) return spec.retry;
  return {
    backoff: "exponential",
    initialDelayMs: 100,
    ...spec.retry,
    attempts: retryAttempts + 1,
  };
}
