import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import type { ServiceSpec } from "../../src/core/index.js";
import type { ErrorBody, OrchestrationAnswer } from "../../src/server/index.js";
import { serverFor, shiftedClock, startService, token } from "./helpers.js";
import type { FakeService } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

async function service(behaviour: Parameters<typeof startService>[0]): Promise<FakeService> {
  const fake = await startService(behaviour);
  opened.push(fake);
  return fake;
}

async function server(services: Record<string, ServiceSpec>, more = {}): Promise<FastifyInstance> {
  const app = await serverFor(services, more);
  opened.push(app);
  return app;
}

async function orchestrate(app: FastifyInstance, body: object, claims = {}) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/orchestrate",
    headers: { authorization: `Bearer ${await token(claims)}`, "x-correlation-id": "corr-1" },
    payload: body,
  });
  return {
    status: response.statusCode,
    body: response.json<OrchestrationAnswer>(),
    headers: response.headers,
  };
}

/** Two services that answer only once both have been called: proof they run at the same time. */
async function barrierPair(): Promise<[FakeService, FakeService]> {
  let release: () => void = () => undefined;
  const both = new Promise<void>((resolve) => (release = resolve));
  let arrived = 0;
  const behaviour = async () => {
    if (++arrived === 2) release();
    await both;
    return { body: { arrived } };
  };
  return [await service(behaviour), await service(behaviour)];
}

describe("POST /api/v1/orchestrate", () => {
  it("calls services at the same time and answers in seed 003's shape", async () => {
    const [a, b] = await barrierPair();
    const app = await server({
      users: { url: `${a.url}/users` },
      orders: { url: `${b.url}/orders` },
    });
    const { status, body, headers } = await orchestrate(app, { services: ["users", "orders"] });
    assert.equal(status, 200);
    assert.equal(headers["x-correlation-id"], "corr-1");
    assert.equal(body.success, true);
    assert.deepEqual(Object.keys(body.data.services), ["users", "orders"]);
    const users = body.data.services["users"]!;
    assert.equal(users.status, "success");
    assert.deepEqual(users.data, { arrived: 2 });
    assert.equal(users.circuitBreakerState, "CLOSED");
    assert.equal(users.fallbackUsed, false);
    assert.ok(users.responseTime > 0);
    assert.deepEqual(
      { ...body.data.parallelExecutionStats, averageResponseTime: 0 },
      {
        totalServices: 2,
        successfulServices: 2,
        failedServices: 0,
        averageResponseTime: 0,
        concurrency: 2,
      },
    );
    assert.equal(body.data.successRate, 1);
    assert.ok(body.data.executionTime > 0);
    assert.equal(body.meta.executionMode, "parallel");
    assert.equal(body.meta.correlationId, "corr-1");
    assert.equal(a.received[0]?.headers["x-correlation-id"], "corr-1", "passed on to the services");
  });

  it("runs the same plan one service at a time with parallelExecution false", async () => {
    const slow = await service(async () => ({ body: 1 }));
    const app = await server({
      a: { url: slow.url },
      b: { url: slow.url },
      c: { url: slow.url },
    });
    const { status, body } = await orchestrate(app, {
      services: ["a", "b", "c"],
      parallelExecution: false,
    });
    assert.equal(status, 200);
    assert.equal(body.meta.executionMode, "sequential");
    assert.equal(body.data.parallelExecutionStats.concurrency, 1);
    assert.equal(slow.maxInFlight(), 1);
    assert.equal(slow.received.length, 3);
  });

  it("calls a service after the ones it depends on, with their answers in its body", async () => {
    const users = await service(() => ({ body: { id: 7 } }));
    const billing = await service((_n, received) => ({ body: { charged: received.body } }));
    const app = await server({
      users: { url: users.url },
      billing: {
        url: billing.url,
        method: "POST",
        dependsOn: ["users"],
        body: { user: "{{results.users.id}}", plan: "{{input.plan}}" },
      },
    });
    const { body } = await orchestrate(app, { services: ["billing"], input: { plan: "pro" } });
    assert.deepEqual(
      Object.keys(body.data.services),
      ["billing", "users"],
      "the dependency is added",
    );
    assert.deepEqual(body.data.services["billing"]?.data, { charged: { user: 7, plan: "pro" } });
    assert.ok(billing.received[0]!.at >= users.received[0]!.at);
  });

  it("fails a hanging service at its timeout and, under partial, still succeeds without it", async () => {
    const ok = await service(() => ({ body: "fine" }));
    const hanging = await service(() => "hang");
    const app = await server({ ok: { url: ok.url }, slow: { url: hanging.url, timeoutMs: 150 } });
    const { status, body } = await orchestrate(app, {
      requiredServices: ["ok"],
      optionalServices: ["slow"],
      aggregationStrategy: "partial",
    });
    assert.equal(status, 200);
    assert.equal(body.data.status, "partial");
    assert.deepEqual(body.data.services["slow"]?.error, {
      code: "TIMEOUT",
      message: "Attempt timed out after 150 ms",
    });
    assert.equal(body.data.services["slow"].status, "failed");
    assert.ok(body.data.services["slow"].responseTime >= 150);
    assert.equal(body.data.successRate, 0.5);
  });

  it("answers 502 under all when a required service fails, and cancels the rest", async () => {
    const failing = await service(() => ({ status: 503, body: { down: true } }));
    const hanging = await service(() => "hang");
    const app = await server({ pay: { url: failing.url }, slow: { url: hanging.url } });
    const { status, body } = await orchestrate(app, { services: ["pay", "slow"] });
    assert.equal(status, 502);
    assert.equal(body.success, false);
    assert.deepEqual(body.data.services["pay"]?.error, {
      code: "HTTP_503",
      message: "pay answered HTTP 503",
    });
    assert.equal(body.data.services["slow"]?.status, "cancelled");
    assert.equal(body.data.services["slow"].error?.code, "CANCELLED");
  });

  it("runs every service it can under best_effort and skips the dependents of a failure", async () => {
    const failing = await service(() => ({ status: 500 }));
    const ok = await service(() => ({ body: "fine" }));
    const app = await server({
      users: { url: failing.url },
      billing: { url: ok.url, dependsOn: ["users"] },
      news: { url: ok.url },
    });
    const { status, body } = await orchestrate(app, {
      services: ["billing", "news"],
      aggregationStrategy: "best_effort",
    });
    assert.equal(status, 502);
    assert.equal(body.data.services["news"]?.status, "success");
    assert.equal(body.data.services["billing"]?.status, "skipped");
    assert.equal(body.data.services["billing"].error?.code, "DEPENDENCY_FAILED");
    assert.equal(ok.received.length, 1, "billing was never called");
  });

  it("retries a flaky service with exponential backoff", async () => {
    const flaky = await service((n) => (n < 3 ? { status: 500 } : { body: { on: n } }));
    const app = await server({
      flaky: { url: flaky.url, retry: { attempts: 3, backoff: "exponential", initialDelayMs: 40 } },
    });
    const { status, body } = await orchestrate(app, { services: ["flaky"] });
    assert.equal(status, 200);
    assert.equal(body.data.services["flaky"]?.attempts, 3);
    assert.deepEqual(body.data.services["flaky"].data, { on: 3 });
    const [first, second, third] = flaky.received.map((r) => r.at);
    assert.ok(second! - first! >= 38, `first delay ${second! - first!}`);
    assert.ok(third! - second! >= 78, `second delay ${third! - second!}, doubled`);
  });

  it("takes retryAttempts from the request over the service's retry", async () => {
    const failing = await service(() => ({ status: 500 }));
    const app = await server({
      s: { url: failing.url, retry: { attempts: 5, initialDelayMs: 1 } },
    });
    const { body } = await orchestrate(app, { services: ["s"], retryAttempts: 1 });
    assert.equal(body.data.services["s"]?.attempts, 2);
    assert.equal(failing.received.length, 2);
  });

  it("uses the fallback value when every attempt failed, unless fallbacks are disabled", async () => {
    const failing = await service(() => ({ status: 500 }));
    const app = await server({
      prefs: { url: failing.url, fallback: { value: { theme: "light" } } },
    });
    const rescued = await orchestrate(app, { services: ["prefs"] });
    assert.equal(rescued.status, 200);
    assert.equal(rescued.body.data.services["prefs"]?.fallbackUsed, true);
    assert.deepEqual(rescued.body.data.services["prefs"].data, { theme: "light" });
    const plain = await orchestrate(app, { services: ["prefs"], enableFallbacks: false });
    assert.equal(plain.status, 502);
    assert.equal(plain.body.data.services["prefs"]?.fallbackUsed, false);
  });

  it("opens a service's breaker across requests, tries once after the cool-down, and closes", async () => {
    let healthy = false;
    const fickle = await service(() => (healthy ? { body: "back" } : { status: 500 }));
    const clock = shiftedClock();
    const app = await server(
      { fickle: { url: fickle.url, breaker: { failureThreshold: 2, resetAfterMs: 10_000 } } },
      { clock },
    );
    const state = async () =>
      (await orchestrate(app, { services: ["fickle"] })).body.data.services["fickle"]!;
    assert.equal((await state()).circuitBreakerState, "CLOSED");
    const second = await state();
    assert.equal(second.circuitBreakerState, "OPEN");
    const refused = await state();
    assert.equal(refused.error?.code, "CIRCUIT_OPEN");
    assert.equal(fickle.received.length, 2, "an open breaker does not call the service");

    clock.advance(10_000);
    const failedTrial = await state();
    assert.equal(failedTrial.circuitBreakerState, "OPEN", "a failed trial reopens it");
    assert.equal(fickle.received.length, 3);

    clock.advance(10_000);
    healthy = true;
    const trial = await state();
    assert.equal(trial.status, "success");
    assert.equal(trial.circuitBreakerState, "CLOSED");
    const services = await app.inject({
      url: "/api/v1/services",
      headers: { authorization: `Bearer ${await token()}` },
    });
    assert.equal(
      services.json<{ services: { circuitBreakerState: string }[] }>().services[0]
        ?.circuitBreakerState,
      "CLOSED",
    );
  });

  it("does not count a call cancelled by the request against its service's breaker", async () => {
    const failing = await service(() => ({ status: 500 }));
    const hanging = await service(() => "hang");
    const app = await server({
      pay: { url: failing.url },
      slow: { url: hanging.url, breaker: { failureThreshold: 1 } },
    });
    const { body } = await orchestrate(app, { services: ["pay", "slow"] });
    assert.equal(body.data.services["slow"]?.status, "cancelled");
    assert.equal(body.data.services["slow"].circuitBreakerState, "CLOSED");
  });

  it("follows redirects within the service's origin and refuses others", async () => {
    const elsewhere = await service(() => ({ body: "stolen" }));
    const home = await service((_n, r) =>
      r.path === "/old"
        ? { status: 302, headers: { location: "/new" } }
        : r.path === "/away"
          ? { status: 302, headers: { location: `${elsewhere.url}/x` } }
          : { body: "new" },
    );
    const app = await server({
      moved: { url: `${home.url}/old` },
      away: { url: `${home.url}/away` },
    });
    const { body } = await orchestrate(app, {
      services: ["moved", "away"],
      aggregationStrategy: "best_effort",
    });
    assert.equal(body.data.services["moved"]?.data, "new");
    assert.equal(body.data.services["away"]?.error?.code, "REDIRECT_BLOCKED");
    assert.equal(elsewhere.received.length, 0);
  });

  it("says why a service could not be reached", async () => {
    const gone = await service(() => ({}));
    await gone.close();
    const app = await server({ gone: { url: gone.url } });
    const { body } = await orchestrate(app, { services: ["gone"] });
    assert.deepEqual(body.data.services["gone"]?.error, {
      code: "FETCH_FAILED",
      message: "gone could not be reached (ECONNREFUSED)",
    });
  });

  it("answers 504 when the request's deadline passes", async () => {
    const hanging = await service(() => "hang");
    const app = await server({ slow: { url: hanging.url } });
    const { status, body } = await orchestrate(app, { services: ["slow"], timeout: 1000 });
    assert.equal(status, 504);
    assert.deepEqual(body.data.services["slow"]?.error, {
      code: "DEADLINE_EXCEEDED",
      message: "No answer from slow within the request's deadline of 1000 ms.",
    });
  });
});

describe("orchestration requests that are refused", () => {
  const services = { users: { url: "http://127.0.0.1:9/users" } };

  it("names an unknown field instead of dropping it", async () => {
    const app = await server(services);
    const { status, body } = await orchestrate(app, { services: ["users"], url: "http://evil" });
    assert.equal(status, 400);
    assert.deepEqual(body, {
      error: { code: "INVALID_REQUEST", message: 'Invalid body: unknown field "url": remove it.' },
      requestId: "corr-1",
    });
  });

  it("checks ranges and types without coercing them", async () => {
    const app = await server(services);
    const { body } = await orchestrate(app, {
      services: ["users"],
      timeout: 10,
      maxConcurrency: "3",
    });
    assert.deepEqual(body, {
      error: {
        code: "INVALID_REQUEST",
        message: "Invalid body: maxConcurrency must be integer; timeout must be >= 1000.",
      },
      requestId: "corr-1",
    });
  });

  it("refuses a body that is not JSON in the same shape", async () => {
    const app = await server(services);
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/orchestrate",
      headers: {
        authorization: `Bearer ${await token()}`,
        "content-type": "application/json",
        "x-correlation-id": "corr-1",
      },
      payload: "{not json",
    });
    assert.equal(response.statusCode, 400);
    const { error, requestId } = response.json<ErrorBody>();
    assert.equal(error.code, "INVALID_REQUEST");
    assert.equal(requestId, "corr-1");
    // V8 words the rest (and Node 22 adds the line and column): the position is always there.
    assert.match(error.message, /^The body is not valid JSON: .*position 1\b/);
  });

  it("names a __proto__ or constructor.prototype key as what it refuses, not as bad JSON", async () => {
    const app = await server(services);
    for (const [payload, key] of [
      [
        '{"services":["users"],"input":{"__proto__":{"admin":true}}}',
        '"__proto__" (at body.input.__proto__)',
      ],
      [
        '{"services":["users"],"constructor":{"prototype":{}}}',
        '"constructor.prototype" (at body.constructor.prototype)',
      ],
    ] as const) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/orchestrate",
        headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
        payload,
      });
      assert.equal(response.statusCode, 400);
      const { error } = response.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, "FORBIDDEN_KEY");
      assert.equal(
        error.message,
        `The body has a key ${key}, which is refused: it could change the prototype of every object. Remove it.`,
      );
    }
  });

  it("says a one-field typo once, with the field meant, and what a body without services needs", async () => {
    const app = await server(services);
    const errorOf = (answer: { body: unknown }) => (answer.body as ErrorBody).error;
    const typo = await orchestrate(app, { requiredService: ["users"] });
    assert.equal(typo.status, 400);
    assert.equal(
      errorOf(typo).message,
      'Invalid body: unknown field "requiredService": did you mean "requiredServices"?',
    );
    const none = await orchestrate(app, { timeout: 5000 });
    assert.equal(
      errorOf(none).message,
      "Invalid body: body needs at least one of services, requiredServices, optionalServices.",
    );
  });

  it("refuses a request whose service lists are all empty", async () => {
    const app = await server(services);
    const { status, body } = await orchestrate(app, { services: [], optionalServices: [] });
    const { error } = body as unknown as ErrorBody;
    assert.equal(status, 400);
    assert.equal(error.code, "NO_SERVICES");
    assert.match(error.message, /names no service: list at least one in services/);
  });

  it("refuses a service that is not configured, with a suggestion", async () => {
    const app = await server(services);
    const { status, body } = await orchestrate(app, { services: ["user"] });
    assert.equal(status, 400);
    assert.deepEqual(body, {
      error: {
        code: "UNKNOWN_SERVICE",
        message: 'No service "user" is configured. Did you mean "users"?',
      },
      requestId: "corr-1",
    });
  });

  it("generates a correlation id when the caller sends none or a strange one", async () => {
    const app = await server(services);
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/orchestrate",
      headers: { authorization: `Bearer ${await token()}`, "x-correlation-id": "bad id\u0001" },
      payload: { services: ["nope"] },
    });
    const id = response.headers["x-correlation-id"];
    assert.match(String(id), /^[0-9a-f-]{36}$/);
    assert.equal(response.json<{ requestId: string }>().requestId, id);
  });
});
