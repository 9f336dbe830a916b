import type { FastifyRequest } from "fastify";

/**
 * What a request's log line says of it: Fastify's own fields, with the value of any `ticket`
 * in the URL left out. A login link's ticket, or an event stream's, must not outlive its use
 * in a log file, whatever the odds that it is still valid.
 */
export const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: request.url.replace(/([?&]ticket=)[^&#]*/gi, "$1[redacted]"),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort ?? 0,
  }),
};
