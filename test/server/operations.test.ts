import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { after, describe, it } from "node:test";
import { Ajv } from "ajv";
import type { FastifyInstance } from "fastify";
import { Breakers } from "../../src/core/index.js";
import type { ServiceSpec } from "../../src/core/index.js";
import type { ServerOptions } from "../../src/server/index.js";
import { serverFor, startService, token } from "./helpers.js";
import type { FakeService } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

async function server(services: Record<string, ServiceSpec>, more: Partial<ServerOptions> = {}) {
  const app = await serverFor(services, more);
  opened.push(app);
  return app;
}

async function service(behaviour: Parameters<typeof startService>[0]): Promise<FakeService> {
  const fake = await startService(behaviour);
  opened.push(fake);
  return fake;
}

async function orchestrate(app: FastifyInstance, services: string[]) {
  return app.inject({
    method: "POST",
    url: "/api/v1/orchestrate",
    headers: { authorization: `Bearer ${await token()}` },
    payload: { services },
  });
}

describe("operations", () => {
  it("exposes runs, tasks, durations, breaker states and HTTP latency to Prometheus", async () => {
    const ok = await service(() => ({ body: 1 }));
    const down = await service(() => ({ status: 500 }));
    const app = await server({
      ok: { url: ok.url },
      down: { url: down.url, breaker: { failureThreshold: 1 } },
    });
    await orchestrate(app, ["ok"]);
    await orchestrate(app, ["down"]);
    const metrics = await app.inject({ url: "/metrics" });
    assert.match(String(metrics.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    const text = metrics.body;
    assert.match(text, /^parex_runs_total\{kind="orchestration",status="succeeded"\} 1$/m);
    assert.match(text, /^parex_runs_total\{kind="orchestration",status="failed"\} 1$/m);
    assert.match(text, /^parex_tasks_total\{kind="orchestration",status="failed"\} 1$/m);
    assert.match(text, /^parex_task_duration_seconds_count\{kind="orchestration",task="ok"\} 1$/m);
    assert.match(text, /^parex_breaker_state\{key="service:down"\} 2$/m);
    assert.match(
      text,
      /^parex_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/orchestrate",status_code="200"\} 1$/m,
    );
  });

  it("lists the configured services with their breaker state and recent latency", async () => {
    const ok = await service(() => ({ body: 1 }));
    const app = await server({
      users: { url: ok.url, tiers: ["pro"], fallback: { value: [] } },
      billing: { url: ok.url, method: "POST", dependsOn: ["users"] },
    });
    await app.inject({
      method: "POST",
      url: "/api/v1/orchestrate",
      headers: { authorization: `Bearer ${await token({ tier: "pro" })}` },
      payload: { services: ["users"] },
    });
    const listed = await app.inject({
      url: "/api/v1/services",
      headers: { authorization: `Bearer ${await token()}` },
    });
    const [users, billing] = listed.json<{ services: Record<string, unknown>[] }>().services;
    const latency = users?.["recentLatency"] as { calls: number; p50Ms: number; p95Ms: number };
    assert.equal(latency.calls, 1);
    assert.ok(latency.p50Ms > 0 && latency.p95Ms === latency.p50Ms);
    const { p50, p95, p99 } = users?.["latencyMs"] as { p50: number; p95: number; p99: number };
    assert.deepEqual([p50, p95, p99], [latency.p50Ms, latency.p50Ms, latency.p50Ms]);
    assert.deepEqual(
      { ...users, recentLatency: undefined, latencyMs: undefined },
      {
        name: "users",
        method: "GET",
        dependsOn: [],
        tiers: ["pro"],
        circuitBreakerState: "CLOSED",
        hasFallback: true,
        recentLatency: undefined,
        calls: 1,
        errors: 0,
        errorRate: 0,
        // One call in the last minute.
        throughputPerSec: 0.017,
        latencyMs: undefined,
        breaker: "closed",
      },
    );
    assert.deepEqual(billing, {
      name: "billing",
      method: "POST",
      dependsOn: ["users"],
      circuitBreakerState: "CLOSED",
      hasFallback: false,
      calls: 0,
      errors: 0,
      errorRate: 0,
      throughputPerSec: 0,
      breaker: "closed",
    });
  });

  it("publishes an OpenAPI 3 document built from the validation schemas", async () => {
    const app = await server({});
    const response = await app.inject({ url: "/docs/json" });
    const doc = response.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: object }> }; responses: object }
        >
      >;
    }>();
    assert.equal(doc.openapi, "3.0.3");
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      "/api/v1/dashboard/login",
      "/api/v1/orchestrate",
      "/api/v1/runs",
      "/api/v1/runs/{id}",
      "/api/v1/runs/{id}/events",
      "/api/v1/runs/{id}/graph",
      "/api/v1/runs/{id}/tasks/{taskId}/log",
      "/api/v1/runs/{id}/ticket",
      "/api/v1/services",
      "/api/v1/stats",
      "/api/v1/system",
      "/api/v1/workers",
      "/health",
      "/metrics",
    ]);
    const body =
      doc.paths["/api/v1/orchestrate"]?.["post"]?.requestBody?.content["application/json"]?.schema;
    assert.equal((body as { additionalProperties?: boolean }).additionalProperties, false);
    const events = doc.paths["/api/v1/runs/{id}/events"]?.["get"]?.responses as Record<
      string,
      { content?: object }
    >;
    assert.deepEqual(Object.keys(events["200"]?.content ?? {}), ["text/event-stream"]);
    const ajv = new Ajv({ strict: false });
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(
          Object.keys(operation.responses).length > 0,
          `${method} ${path} documents its answers`,
        );
        for (const media of Object.values(operation.requestBody?.content ?? {}))
          ajv.compile(media.schema);
      }
    }
    const ui = await app.inject({ url: "/docs/" });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger-ui/i);
  });

  it("sends security headers and the correlation id on every answer", async () => {
    const app = await server({});
    const health = await app.inject({ url: "/health", headers: { "x-correlation-id": "abc-123" } });
    assert.equal(health.headers["x-correlation-id"], "abc-123");
    assert.equal(health.headers["x-content-type-options"], "nosniff");
    assert.equal(health.headers["x-frame-options"], "SAMEORIGIN");
    assert.match(String(health.headers["strict-transport-security"]), /max-age=/);
    assert.match(String(health.headers["content-security-policy"]), /default-src 'self'/);
  });

  it("limits each client's requests, and answers 429 in the error shape", async () => {
    const app = await server({}, { rateLimit: { max: 2, timeWindowMs: 60_000 } });
    const authorization = `Bearer ${await token()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await app.inject({ url: "/api/v1/services", headers: { authorization } })).statusCode,
      );
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    const limited = await app.inject({
      url: "/api/v1/services",
      headers: { authorization, "x-correlation-id": "c9" },
    });
    assert.deepEqual(limited.json(), {
      error: {
        code: "RATE_LIMITED",
        message: "Too many requests: at most 2 per 1 minute. Retry later.",
      },
      requestId: "c9",
    });
    assert.equal((await app.inject({ url: "/health" })).statusCode, 200, "health is never limited");
  });

  it("limits clients that send bad tokens as well", async () => {
    const app = await server({}, { rateLimit: { max: 2, timeWindowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const headers = { authorization: "Bearer a.b.c" };
      statuses.push((await app.inject({ url: "/api/v1/services", headers })).statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
  });

  it("refuses bodies over the limit with 413", async () => {
    const app = await server({ s: { url: "http://127.0.0.1:9" } }, { bodyLimitBytes: 1024 });
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/orchestrate",
      headers: { authorization: `Bearer ${await token()}` },
      payload: { services: ["s"], input: { blob: "x".repeat(2000) } },
    });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json<{ error: { code: string } }>().error.code, "BODY_TOO_LARGE");
  });

  it("answers an unexpected failure without its message, stack or paths", async () => {
    class BrokenBreakers extends Breakers {
      override state(): never {
        throw new Error("SELECT secret FROM keys failed at /srv/parex/src/server/app.ts:42");
      }
    }
    const ok = await service(() => ({ body: 1 }));
    const app = await server({ ok: { url: ok.url } }, { breakers: new BrokenBreakers() });
    const response = await orchestrate(app, ["ok"]);
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), {
      error: {
        code: "INTERNAL_ERROR",
        message: "Internal error; see the server log with this requestId.",
      },
      requestId: response.headers["x-correlation-id"],
    });
  });

  it("stops calling services when the client goes away", async () => {
    const hanging = await service(() => "hang");
    const app = await server({ slow: { url: hanging.url } });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const controller = new AbortController();
    const request = fetch(`${address}/api/v1/orchestrate`, {
      method: "POST",
      headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
      body: JSON.stringify({ services: ["slow"] }),
      signal: controller.signal,
    }).catch(() => "aborted");
    while (hanging.inFlight() === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    assert.equal(await request, "aborted");
    while (hanging.inFlight() > 0) await new Promise((resolve) => setImmediate(resolve));
    const metrics = (await app.inject({ url: "/metrics" })).body;
    assert.match(metrics, /^parex_runs_total\{kind="orchestration",status="cancelled"\} 1$/m);
  });

  it("answers /health with its status and the number of services", async () => {
    const app = await server({});
    assert.deepEqual(
      { ...(await app.inject({ url: "/health" })).json<object>(), uptimeSeconds: 0 },
      { status: "ok", uptimeSeconds: 0, services: 0, pipelines: 0, runsInProgress: 0 },
    );
  });
});

describe("requests Node's HTTP parser refuses", () => {
  /** Sends raw bytes and reads the whole answer until the server closes the connection. */
  async function raw(origin: string, bytes: string): Promise<string> {
    const { port } = new URL(origin);
    const socket = connect(Number(port), "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.write(bytes);
    await once(socket, "close");
    return Buffer.concat(chunks).toString("utf8");
  }

  function bodyOf(answer: string): { error: { code: string; message: string }; requestId: string } {
    return JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as never;
  }

  it("answers oversized headers 431 and bytes that are not HTTP 400, in the API's error shape", async () => {
    const app = await server({});
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const big = await raw(
      origin,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    assert.match(big, /^HTTP\/1\.1 431 /);
    assert.match(big, /\r\nContent-Type: application\/json\r\n/);
    assert.equal(bodyOf(big).error.code, "HEADERS_TOO_LARGE");
    assert.match(bodyOf(big).error.message, /headers are too large/);
    const garbage = await raw(origin, "NOT HTTP AT ALL\r\n\r\n");
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.equal(bodyOf(garbage).error.code, "MALFORMED_REQUEST");
    assert.ok(bodyOf(garbage).requestId.length > 0);
  });
});
