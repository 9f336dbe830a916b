import type { FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import type { Caller, Verifier } from "./auth.js";
import { readCookie } from "./session-cookie.js";
import type { Sessions } from "./sessions.js";

/** Who may call what: programs with a JWT, browsers with the dashboard's session cookie. */
export interface Access {
  /** Verifies bearer tokens; undefined on a local server, which takes none. */
  readonly verify: Verifier | undefined;
  readonly sessions: Sessions;
  /** The session cookie's name now (a local server's gets its port once it listens). */
  readonly cookieName: () => string;
  /** How a person gets a login link, said by the 401s: it differs between servers. */
  readonly signIn: string;
}

/** The caller behind a dashboard session: a person with read access, in no tier. */
const sessionCaller: Caller = { subject: undefined, tier: undefined };

/** Whether the request carries the cookie of a session that is open. */
export function hasSession(request: FastifyRequest, access: Access): boolean {
  const session = readCookie(request.headers.cookie, access.cookieName());
  return session !== undefined && access.sessions.has(session);
}

/**
 * The caller of an /api route. A request with an `Authorization` header is judged by its JWT;
 * one without, on a route the dashboard reads (`cookie`), by its session cookie. Throws
 * ApiError 401: the JWT's own codes, AUTH_SESSION_EXPIRED for a cookie of a session that is
 * no more, AUTH_NO_SESSION on a local server without one.
 */
export async function authenticate(
  request: FastifyRequest,
  access: Access,
  cookie: boolean,
): Promise<Caller> {
  const { authorization } = request.headers;
  if (authorization === undefined && cookie) {
    const session = readCookie(request.headers.cookie, access.cookieName());
    if (session !== undefined) {
      if (access.sessions.has(session)) return sessionCaller;
      throw new ApiError(
        401,
        "AUTH_SESSION_EXPIRED",
        `The dashboard session has expired, or the server has restarted since it began. ${access.signIn}`,
      );
    }
  }
  if (access.verify === undefined) {
    throw new ApiError(
      401,
      "AUTH_NO_SESSION",
      `This local server takes no tokens, only the dashboard's session. ${access.signIn}`,
    );
  }
  return access.verify(authorization);
}
