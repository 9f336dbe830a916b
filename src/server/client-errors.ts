import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorBody } from "./api-error.js";

/** What a request that Node's HTTP parser refused gets, by the parser's error code. */
const refusals: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: "HEADERS_TOO_LARGE",
    message:
      "The request's headers are too large (at most 16 KiB in all). Send fewer or shorter headers.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: "REQUEST_TIMEOUT",
    message: "The request did not arrive in time. Send it again.",
  },
};
const malformed = {
  status: 400,
  code: "MALFORMED_REQUEST",
  message: "The request is not valid HTTP/1.1.",
};

/**
 * Answers a request refused before it reached Fastify (oversized headers, a timeout, bytes
 * that are not HTTP) with the error body every other answer has, instead of an empty or
 * differently shaped one, then closes the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const { status, code, message } = refusals[error.code ?? ""] ?? malformed;
  const body: ErrorBody = { error: { code, message }, requestId: randomUUID() };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  } else socket.destroy();
}
