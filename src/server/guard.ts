import type { FastifyInstance } from "fastify";
import type { Access } from "./access.js";
import { authenticate } from "./access.js";
import { ApiError } from "./api-error.js";
import type { Metrics } from "./metrics.js";

/**
 * The hooks every request passes: refused while shutting down, a verified caller on /api
 * routes, the correlation id on every answer, and its latency in the metrics (when kept).
 */
export function guard(
  app: FastifyInstance,
  options: { access: Access; draining: AbortSignal; metrics?: Metrics },
): void {
  const { access, draining, metrics } = options;
  app.addHook("onRequest", (request, _reply, done) => {
    if (draining.aborted && request.routeOptions.url !== "/health") {
      const message = "The server is shutting down. Retry on another instance.";
      done(new ApiError(503, "SHUTTING_DOWN", message));
    } else done();
  });
  // After the rate limit (a route-level onRequest hook), before the body is parsed. The
  // matched route decides, not the raw URL: `/%61pi/...` reaches an /api route too.
  app.addHook("preParsing", async (request) => {
    const route = request.routeOptions.url ?? "";
    const config = request.routeOptions.config;
    if (!route.startsWith("/api/") || config.ticketAuth === true) return;
    request.caller = await authenticate(request, access, config.cookieAuth === true);
  });
  app.addHook("onSend", async (request, reply) => {
    void reply.header("x-correlation-id", request.id);
  });
  if (metrics === undefined) return;
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
