import type { FastifyInstance, FastifyReply } from "fastify";
import { followAbort } from "../core/index.js";
import type { Verdict } from "./admission.js";
import { ApiError } from "./api-error.js";
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
      // Before auth and the body: a shed request costs the server next to nothing.
      onRequest: (_request, reply, done) => admit(state, reply, done),
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

/**
 * Waits for the request's turn under the server's admission limits; a request that gets none
 * is answered 503 OVERLOADED with Retry-After. The turn is held until the answer is sent or
 * the client goes away.
 */
function admit(
  { admission, metrics }: ServerState,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  if (admission === undefined) {
    done();
    return;
  }
  const ticket = admission.enter();
  let gone = false;
  reply.raw.once("close", () => {
    gone = true;
    ticket.release();
  });
  const decide = (verdict: Verdict): void => {
    if (verdict === "admitted" && !gone) done();
    else if (verdict === "admitted" || verdict === "abandoned") {
      // Nobody reads this answer: it only stops the request here.
      done(new ApiError(503, "CLIENT_GONE", "The client went away while waiting for its turn."));
    } else {
      metrics.shed(verdict);
      const { maxQueued, maxQueueMs } = admission.limits;
      const why =
        verdict === "queue-full"
          ? `${admission.inFlight} orchestrations are running and ${maxQueued} waiting`
          : `no orchestration finished within ${maxQueueMs} ms to let this one in`;
      const message = `The server is at capacity: ${why}. Retry after 1 s.`;
      done(new ApiError(503, "OVERLOADED", message, { "retry-after": "1" }));
    }
  };
  const verdict = ticket.verdict;
  if (verdict === undefined) void ticket.wait().then(decide);
  else decide(verdict);
}
