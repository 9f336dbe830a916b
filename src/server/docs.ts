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
          "Orchestration of configured services, runs of configured pipelines and the run history, on the parex engine; the dashboard reads it.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "parex_session",
            description: "The dashboard's session, set by GET /login?ticket= (a login link).",
          },
        },
      },
    },
  });
  await app.register((await import("@fastify/swagger-ui")).default, {
    routePrefix: "/docs",
    staticCSP: true,
  });
}
