import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";
import { readers } from "./runs-routes.js";
import type { QueueReader } from "./queue-snapshot.js";
import { apiErrors } from "./schemas.js";

const workersSchema = {
  type: "object",
  properties: {
    queue: { type: "string" },
    workers: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string", description: "host/pid" },
          host: { type: "string" },
          pid: { type: "integer" },
          slots: { type: "integer", description: "Tasks it runs at once." },
          running: { type: "integer", description: "Tasks it ran at its last heartbeat." },
          at: { type: "integer", description: "Its last heartbeat, ms since the epoch." },
        },
      },
    },
    jobs: {
      type: "object",
      description: "The queue's jobs by BullMQ state.",
      additionalProperties: { type: "integer" },
    },
  },
} as const;

/**
 * `GET /api/v1/workers`: the workers listening on the distributed queue of the config (or
 * `--redis`), and its jobs; 404 QUEUE_NOT_CONFIGURED without one, 503 QUEUE_UNREACHABLE when
 * Redis does not answer.
 */
export function workersRoute(app: FastifyInstance, queue: QueueReader | undefined): void {
  app.get(
    "/api/v1/workers",
    {
      config: { cookieAuth: true },
      schema: {
        summary: "The workers on the distributed queue, and its jobs",
        tags: ["operations"],
        security: readers,
        response: { 200: workersSchema, ...apiErrors },
      },
    },
    async () => {
      if (queue === undefined)
        throw new ApiError(
          404,
          "QUEUE_NOT_CONFIGURED",
          'This server has no distributed queue: start it with --redis URL, PAREX_REDIS_URL or "distributed": { "redis": … } in its config.',
        );
      try {
        return await queue();
      } catch (error) {
        throw new ApiError(503, "QUEUE_UNREACHABLE", (error as Error).message);
      }
    },
  );
}
