import type { FastifyInstance } from "fastify";
import type { BreakerStateName } from "../core/index.js";
import { breakerKey } from "./orchestrate.js";
import { readers } from "./runs-routes.js";
import { apiErrors } from "./schemas.js";
import type { ServerState } from "./server-state.js";

const servicesSchema = {
  type: "object",
  properties: {
    services: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          method: { type: "string" },
          dependsOn: { type: "array", items: { type: "string" } },
          tiers: { type: "array", items: { type: "string" } },
          circuitBreakerState: { type: "string", enum: ["CLOSED", "OPEN", "HALF_OPEN"] },
          hasFallback: { type: "boolean" },
          recentLatency: {
            type: "object",
            description: "Over the last 100 calls; absent before the first.",
            properties: {
              calls: { type: "integer" },
              p50Ms: { type: "number" },
              p95Ms: { type: "number" },
            },
          },
          calls: { type: "integer", description: "Calls made since the server started." },
          errors: {
            type: "integer",
            description: "Calls that failed, with those a fallback stood in for.",
          },
          errorRate: { type: "number" },
          throughputPerSec: { type: "number", description: "Calls per second, last minute." },
          latencyMs: {
            type: "object",
            description: "Over the last 100 calls; absent before the first.",
            properties: {
              p50: { type: "number" },
              p95: { type: "number" },
              p99: { type: "number" },
            },
          },
          breaker: { type: "string", enum: ["closed", "open", "half-open"] },
        },
      },
    },
  },
} as const;

const breakerWords: Readonly<Record<BreakerStateName, string>> = {
  CLOSED: "closed",
  OPEN: "open",
  HALF_OPEN: "half-open",
};

/** `GET /api/v1/services`, `GET /health` and `GET /metrics`. */
export function operationsRoutes(app: FastifyInstance, state: ServerState): void {
  app.get(
    "/api/v1/services",
    {
      config: { cookieAuth: true },
      schema: {
        summary: "The configured services: their breaker states, calls, errors and latency",
        tags: ["orchestration"],
        security: readers,
        response: { 200: servicesSchema, ...apiErrors },
      },
    },
    () => ({
      services: Object.entries(state.services).map(([name, spec]) => {
        const recentLatency = state.latencies.of(name);
        const breaker = state.breakers.state(breakerKey(name));
        return {
          name,
          method: spec.method ?? "GET",
          dependsOn: spec.dependsOn ?? [],
          ...(spec.tiers === undefined ? {} : { tiers: spec.tiers }),
          circuitBreakerState: breaker,
          hasFallback: spec.fallback !== undefined,
          ...(recentLatency === undefined ? {} : { recentLatency }),
          ...state.latencies.usage(name, state.clock.now()),
          breaker: breakerWords[breaker],
        };
      }),
    }),
  );
  app.get(
    "/health",
    {
      config: { rateLimit: false },
      schema: { summary: "Liveness and readiness", tags: ["operations"] },
    },
    async (_request, reply) => {
      const ready = !state.draining.aborted;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? "ok" : "shutting-down",
        uptimeSeconds: Math.round(process.uptime()),
        services: Object.keys(state.services).length,
        pipelines: state.runs.names.length,
        runsInProgress: state.runs.list().filter((run) => run.status === "running").length,
      });
    },
  );
  app.get(
    "/metrics",
    {
      config: { rateLimit: false },
      schema: { summary: "Prometheus metrics", tags: ["operations"] },
    },
    async (_request, reply) =>
      reply.type(state.metrics.registry.contentType).send(await state.metrics.registry.metrics()),
  );
}
