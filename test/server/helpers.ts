import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { SignJWT } from "jose";
import type { JWTPayload } from "jose";
import type { Clock, ServiceSpec } from "../../src/core/index.js";
import { systemClock } from "../../src/exec/index.js";
import { createServer as createParexServer } from "../../src/server/index.js";
import type { ServerOptions, Sessions } from "../../src/server/index.js";

/** One request a fake service received. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly at: number;
}

/** What a fake service does with its n-th request (1-based): answer, or hang until closed. */
export type Behaviour = (n: number, received: Received) => Answer | "hang" | Promise<Answer>;

/** A fake service's answer: 200 `{ ok: true }` unless said otherwise. */
export interface Answer {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A real HTTP service on 127.0.0.1, scripted by the test. */
export interface FakeService {
  readonly url: string;
  readonly received: Received[];
  /** Requests being handled right now. */
  readonly inFlight: () => number;
  /** The most requests it handled at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

export async function startService(behaviour: Behaviour): Promise<FakeService> {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const call: Received = {
        method: request.method ?? "GET",
        path: request.url ?? "/",
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
        headers: request.headers,
        at: performance.now(),
      };
      received.push(call);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      response.on("close", () => inFlight--);
      const answer = behaviour(received.length, call);
      if (answer === "hang") return;
      void Promise.resolve(answer).then(({ status = 200, body = { ok: true }, headers = {} }) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const secret = "test-secret-of-at-least-32-bytes-long!!";

/** An HS256 token for the test server, valid for a minute unless `claims` say otherwise. */
export async function token(
  claims: JWTPayload = {},
  key: Uint8Array = new TextEncoder().encode(secret),
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: "https://auth.test",
    aud: "parex",
    exp: now + 60,
    sub: "tester",
    ...claims,
  })
    .setProtectedHeader({ alg: "HS256" })
    .sign(key);
}

/** The real clock, shifted by `advance(ms)`: lets breakers cool down without waiting. */
export function shiftedClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => systemClock.now() + offset,
    setTimer: (ms, callback) => systemClock.setTimer(ms, callback),
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** A parex server for `services`, with HS256 auth and no rate limit unless `more` says otherwise. */
export async function serverFor(
  services: Record<string, ServiceSpec>,
  more: Partial<ServerOptions> = {},
): Promise<Awaited<ReturnType<typeof createParexServer>>> {
  return createParexServer({
    services,
    auth: {
      algorithms: ["HS256"],
      key: { secret: new TextEncoder().encode(secret) },
      issuer: "https://auth.test",
      audience: "parex",
    },
    clock: systemClock,
    rateLimit: false,
    ...more,
  });
}

/** A dashboard build as Vite leaves it, in a new directory: index.html and one hashed asset. */
export function dashboardBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-dashboard-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), dashboardPage);
  writeFileSync(join(dir, "assets", "index-3f2a.js"), "console.log('dashboard');\n");
  return dir;
}

/** The index.html of {@link dashboardBuild}. */
export const dashboardPage =
  '<!doctype html><script type="module" src="/dashboard/assets/index-3f2a.js"></script>\n';

/** Redeems a login ticket of `sessions` on `app`; the `cookie` header the browser sends then. */
export async function signIn(
  app: FastifyInstance,
  sessions: Sessions,
): Promise<{ readonly cookie: string }> {
  const response = await app.inject({ url: `/login?ticket=${sessions.ticket().ticket}` });
  const setCookie = String(response.headers["set-cookie"]);
  return { cookie: setCookie.slice(0, setCookie.indexOf(";")) };
}

/** Starts `pipeline` on `app` with a JWT and waits for its end (its event stream closes then). */
export async function runToEnd(app: FastifyInstance, pipeline = "ci"): Promise<string> {
  const headers = { authorization: `Bearer ${await token()}` };
  const started = await app.inject({
    method: "POST",
    url: "/api/v1/runs",
    headers,
    payload: { pipeline },
  });
  const { runId } = started.json<{ runId: string }>();
  await app.inject({ url: `/api/v1/runs/${runId}/events`, headers });
  return runId;
}
