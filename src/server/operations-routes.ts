import type { FastifyInstance } from "fastify";
import { breakerKey } from "./orchestrate.js";
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
        },
      },
    },
  },
} as const;

/** `GET /api/v1/services`, `GET /health` and `GET /metrics`. */
export function operationsRoutes(app: FastifyInstance, state: ServerState): void {
  app.get(
    "/api/v1/services",
    {
      schema: {
        summary: "The configured services, with their circuit breaker states",
        tags: ["orchestration"],
        security: [{ bearer: [] }],
        response: { 200: servicesSchema, ...apiErrors },
      },
    },
    () => ({
      services: Object.entries(state.services).map(([name, spec]) => {
        const recentLatency = state.latencies.of(name);
        return {
          name,
          method: spec.method ?? "GET",
          dependsOn: spec.dependsOn ?? [],
          ...(spec.tiers === undefined ? {} : { tiers: spec.tiers }),
          circuitBreakerState: state.breakers.state(breakerKey(name)),
          hasFallback: spec.fallback !== undefined,
          ...(recentLatency === undefined ? {} : { recentLatency }),
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
