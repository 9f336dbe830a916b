import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import type { ErrorBody } from "./api-error.js";

/**
 * Every error becomes `{ error: { code, message }, requestId }`: validation errors name the
 * field, known errors keep their code, and anything unexpected is logged in full but answered
 * as a bare INTERNAL_ERROR, so no stack, path or SQL ever reaches a client.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      void reply.headers(error.headers);
      return send(reply, request, error.status, error.code, error.message);
    }
    if (error.validation !== undefined) {
      const where = error.validationContext ?? "request";
      return send(
        reply,
        request,
        400,
        "INVALID_REQUEST",
        `Invalid ${where}: ${validationText(error)}.`,
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return send(reply, request, 429, "RATE_LIMITED", error.message);
    if (status === 413) {
      return send(reply, request, 413, "BODY_TOO_LARGE", "The request body is too large.");
    }
    if (status >= 400 && status < 500) {
      // Fastify's own codes (FST_ERR_...) name the framework, not the problem: ours are stable.
      return send(reply, request, status, clientErrorCodes[status] ?? "BAD_REQUEST", error.message);
    }
    request.log.error({ err: error }, "request failed");
    return send(
      reply,
      request,
      500,
      "INTERNAL_ERROR",
      "Internal error; see the server log with this requestId.",
    );
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      request,
      404,
      "NOT_FOUND",
      `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`,
    ),
  );
}

const clientErrorCodes: Readonly<Record<number, string>> = {
  400: "INVALID_REQUEST",
  404: "NOT_FOUND",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  const body: ErrorBody = { error: { code, message }, requestId: request.id };
  return reply.status(status).type("application/json").send(body);
}

/** `body/timeout must be >= 1000; body must NOT have additional property "foo"` */
function validationText(error: FastifyError): string {
  return (error.validation ?? [])
    .map((issue) => {
      const extra = (issue.params as { additionalProperty?: unknown }).additionalProperty;
      const path =
        issue.instancePath === "" ? "" : issue.instancePath.slice(1).replaceAll("/", ".");
      const subject = path === "" ? (error.validationContext ?? "body") : path;
      return typeof extra === "string"
        ? `unknown field "${extra}"${path === "" ? "" : ` in ${path}`}; remove it`
        : `${subject} ${issue.message ?? "is invalid"}`;
    })
    .join("; ");
}
