import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { suggest } from "../core/index.js";
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
      const text = validationText(error, request);
      const message = `Invalid ${where}: ${text}${text.endsWith("?") ? "" : "."}`;
      return send(reply, request, 400, "INVALID_REQUEST", message);
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

/**
 * `timeout must be >= 1000; unknown field "requiredService": did you mean
 * "requiredServices"?`. An unknown field is the whole story of the alternatives it fails
 * (anyOf), so those are left out; alternatives that all fail are said once.
 */
function validationText(error: FastifyError, request: FastifyRequest): string {
  const issues = error.validation ?? [];
  const context = error.validationContext ?? "body";
  const unknownAt = new Set(
    issues.filter((issue) => issue.keyword === "additionalProperties").map((i) => i.instancePath),
  );
  const alternatives = new Map<string, string[]>();
  const lines: string[] = [];
  for (const issue of issues) {
    const path = issue.instancePath === "" ? "" : issue.instancePath.slice(1).replaceAll("/", ".");
    const subject = path === "" ? context : path;
    const params = issue.params as { additionalProperty?: unknown; missingProperty?: unknown };
    const inAnyOf = issue.schemaPath.includes("/anyOf");
    if (inAnyOf && unknownAt.has(issue.instancePath)) continue;
    if (typeof params.additionalProperty === "string") {
      const known = path === "" ? bodyFields(request) : [];
      const guess = suggest(params.additionalProperty, known);
      const fix = guess === undefined ? "remove it" : `did you mean "${guess}"?`;
      lines.push(
        `unknown field "${params.additionalProperty}"${path === "" ? "" : ` in ${path}`}: ${fix}`,
      );
    } else if (inAnyOf && issue.keyword === "required") {
      const names = alternatives.get(subject) ?? [];
      names.push(String(params.missingProperty));
      alternatives.set(subject, names);
    } else if (!(inAnyOf && issue.keyword === "anyOf")) {
      lines.push(`${subject} ${issue.message ?? "is invalid"}`);
    }
  }
  for (const [subject, names] of alternatives) {
    lines.push(`${subject} needs at least one of ${names.join(", ")}`);
  }
  return lines.join("; ");
}

/** The top-level fields of the route's body schema, for suggestions. */
function bodyFields(request: FastifyRequest): string[] {
  const schema = request.routeOptions.schema?.body as { properties?: object } | undefined;
  return Object.keys(schema?.properties ?? {});
}
