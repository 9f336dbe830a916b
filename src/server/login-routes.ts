import type { FastifyInstance } from "fastify";
import type { Access } from "./access.js";
import { sessionCookie } from "./session-cookie.js";
import { apiErrors } from "./schemas.js";

/**
 * `GET /login?ticket=`: a login link, redeemed once for a session cookie, then on to the
 * dashboard. The answer is 303, so the browser's history keeps `/dashboard/`, not the link.
 */
export function loginRoute(app: FastifyInstance, access: Access): void {
  app.get<{ Querystring: { ticket?: unknown } }>(
    "/login",
    { schema: { hide: true } },
    async (request, reply) => {
      const { ticket } = request.query;
      const session = typeof ticket === "string" ? access.sessions.redeem(ticket) : undefined;
      void reply.header("cache-control", "no-store");
      if (session === undefined) {
        const minutes = access.sessions.ticketMinutes;
        return reply
          .status(401)
          .type("text/plain; charset=utf-8")
          .send(
            `This login link is unknown, used or expired: a link works once, within ${minutes} minutes of being made. ${access.signIn}\n`,
          );
      }
      const https = request.protocol === "https";
      return reply
        .status(303)
        .header("set-cookie", sessionCookie(access.cookieName(), session, https))
        .header("location", "/dashboard/")
        .send();
    },
  );
}

/** `POST /api/v1/dashboard/login`: a program with a JWT asks for a login link for a person. */
export function newLinkRoute(app: FastifyInstance, access: Access): void {
  app.post(
    "/api/v1/dashboard/login",
    {
      schema: {
        summary: "A single-use login link to the dashboard, for a person to open",
        tags: ["dashboard"],
        security: [{ bearer: [] }],
        response: {
          200: {
            type: "object",
            properties: {
              url: { type: "string", description: "GET it in a browser: it sets the cookie." },
              expiresInSeconds: { type: "integer" },
            },
          },
          ...apiErrors,
        },
      },
    },
    (request) => {
      const { ticket, expiresInSeconds } = access.sessions.ticket();
      return {
        url: `${request.protocol}://${request.host}/login?ticket=${ticket}`,
        expiresInSeconds,
      };
    },
  );
}
