import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const acceptable = /^[\w.:-]{1,128}$/;

/**
 * The request's id: the caller's `x-correlation-id` when it is a plain token (letters,
 * digits, `.`, `_`, `:`, `-`; at most 128), else a new UUID. It is echoed in the
 * `x-correlation-id` header, in every error body and in every log line of the request.
 */
export function correlationId(request: IncomingMessage): string {
  const given = request.headers["x-correlation-id"];
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}
