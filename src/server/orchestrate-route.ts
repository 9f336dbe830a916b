import type { FastifyInstance } from "fastify";
import { followAbort } from "../core/index.js";
import { apiErrors, errorBodySchema } from "./schemas.js";
import { orchestrate, orchestrateDefaults } from "./orchestrate.js";
import type { OrchestrationContext } from "./orchestrate.js";
import { orchestrateBodySchema, orchestrateResponseSchema } from "./orchestrate-schema.js";
import type { OrchestrateBody } from "./orchestrate-schema.js";
import { answerStatus, orchestrationAnswer } from "./orchestration-response.js";
import { selectServices } from "./select-services.js";
import type { ServerState } from "./server-state.js";

/** `POST /api/v1/orchestrate`: fan out to configured services through the engine, and aggregate. */
export function orchestrateRoute(app: FastifyInstance, state: ServerState): void {
  app.post<{ Body: OrchestrateBody }>(
    "/api/v1/orchestrate",
    {
      schema: {
        summary: "Call configured services in parallel and aggregate their answers",
        tags: ["orchestration"],
        security: [{ bearer: [] }],
        body: orchestrateBodySchema,
        response: {
          200: orchestrateResponseSchema,
          502: orchestrateResponseSchema,
          504: orchestrateResponseSchema,
          400: errorBodySchema,
          403: errorBodySchema,
          413: errorBodySchema,
          ...apiErrors,
        },
      },
    },
    async (request, reply) => {
      const selected = selectServices(request.body, state.services, request.caller?.tier);
      // Aborted when the client goes away (the response closes before it was written) or a
      // shutdown cancels orchestrations.
      const stop = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) stop.abort(new Error("client went away"));
      };
      reply.raw.on("close", onClose);
      const unsubscribe = followAbort(state.shutdown, stop);
      const context: OrchestrationContext = {
        executor: state.executor,
        clock: state.clock,
        breakers: state.breakers,
        signal: stop.signal,
        correlationId: request.id,
        listeners: [state.metrics.listener("orchestration"), state.latencies.listener],
        onListenerError: (error) => request.log.warn({ err: error }, "a run listener failed"),
      };
      try {
        const { run, deadlinePassed } = await orchestrate(request.body, selected, context);
        const deadlineMs = request.body.timeout ?? orchestrateDefaults.timeout;
        const answer = orchestrationAnswer(run, {
          ...(deadlinePassed ? { deadlinePassedMs: deadlineMs } : {}),
          breakers: state.breakers,
          sequential: !(request.body.parallelExecution ?? orchestrateDefaults.parallelExecution),
          correlationId: request.id,
        });
        return await reply.status(answerStatus(answer)).send(answer);
      } finally {
        reply.raw.off("close", onClose);
        unsubscribe();
      }
    },
  );
}
