import type { FastifyInstance } from "fastify";

/**
 * OpenAPI 3 at `GET /docs/json`, generated from the routes' validation schemas (so the docs
 * are what is enforced), and its UI at `GET /docs`. Registered before the routes.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register((await import("@fastify/swagger")).default, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "parex",
        description:
          "Orchestration of configured services and runs of configured pipelines, on the parex engine.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
  });
  await app.register((await import("@fastify/swagger-ui")).default, {
    routePrefix: "/docs",
    staticCSP: true,
  });
}
