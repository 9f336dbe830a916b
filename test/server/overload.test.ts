import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { request } from "undici";
import { serverFor, startService, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

/** A service that holds every call until `release()`; `calls(n)` resolves at its n-th call. */
async function heldService() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waiters: { n: number; resolve: () => void }[] = [];
  const service = await startService(async (n) => {
    for (const waiter of waiters) if (waiter.n === n) waiter.resolve();
    await released;
    return { body: { n } };
  });
  opened.push(service);
  const calls = (n: number): Promise<void> =>
    service.received.length >= n
      ? Promise.resolve()
      : new Promise((resolve) => waiters.push({ n, resolve }));
  return { url: service.url, release, calls };
}

/** Waits until /metrics matches `pattern`: the server's state, not a time, says when. */
async function until(
  app: { inject(o: { url: string }): Promise<{ body: string }> },
  pattern: RegExp,
) {
  for (;;) {
    if (pattern.test((await app.inject({ url: "/metrics" })).body)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function post(origin: string, authorization: string) {
  const answer = await request(`${origin}/api/v1/orchestrate`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ services: ["held"] }),
  });
  return {
    status: answer.statusCode,
    retryAfter: answer.headers["retry-after"],
    body: (await answer.body.json()) as { error?: { code: string; message: string } | undefined },
  };
}

describe("under overload (admission limits)", () => {
  it("sheds what it cannot take with 503 and Retry-After, counts it, and serves the rest", async () => {
    const held = await heldService();
    const app = await serverFor(
      { held: { url: held.url, timeoutMs: 60_000 } },
      { admission: { maxInFlight: 2, maxQueued: 1, maxQueueMs: 60_000, maxLoopDelayMs: 60_000 } },
    );
    opened.push(app);
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const authorization = `Bearer ${await token()}`;

    const admitted = [post(origin, authorization), post(origin, authorization)];
    await held.calls(2);
    const queued = post(origin, authorization);
    // The third waits in the queue: the gauge says so before the fourth is sent.
    await until(app, /^parex_orchestrations_queued 1$/m);
    const shed = await post(origin, authorization);
    assert.equal(shed.status, 503);
    assert.equal(shed.retryAfter, "1");
    assert.equal(shed.body.error?.code, "OVERLOADED");
    assert.match(shed.body.error.message, /2 orchestrations are running and 1 waiting/);

    // Operations answer while every slot is taken.
    assert.equal((await app.inject({ url: "/health" })).statusCode, 200);
    const busy = (await app.inject({ url: "/metrics" })).body;
    assert.match(busy, /^parex_http_shed_total\{reason="queue-full"\} 1$/m);
    assert.match(busy, /^parex_orchestrations_in_flight 2$/m);

    held.release();
    const answers = await Promise.all([...admitted, queued]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    // Each slot is freed when its answer has gone out.
    await until(app, /^parex_orchestrations_in_flight 0$/m);
  });

  it("sheds a request that waited maxQueueMs for a turn, and lets the next one wait", async () => {
    const held = await heldService();
    const app = await serverFor(
      { held: { url: held.url, timeoutMs: 60_000 } },
      { admission: { maxInFlight: 1, maxQueued: 1, maxQueueMs: 200, maxLoopDelayMs: 60_000 } },
    );
    opened.push(app);
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const authorization = `Bearer ${await token()}`;
    const first = post(origin, authorization);
    await held.calls(1);
    const waited = await post(origin, authorization);
    assert.equal(waited.status, 503);
    assert.match(waited.body.error?.message ?? "", /no orchestration finished within 200 ms/);
    const metrics = (await app.inject({ url: "/metrics" })).body;
    assert.match(metrics, /^parex_http_shed_total\{reason="queue-timeout"\} 1$/m);
    held.release();
    assert.equal((await first).status, 200);
    assert.equal((await post(origin, authorization)).status, 200);
  });

  it("gives a client that went away while queued no slot", async () => {
    const held = await heldService();
    const app = await serverFor(
      { held: { url: held.url, timeoutMs: 60_000 } },
      { admission: { maxInFlight: 1, maxQueued: 5, maxQueueMs: 60_000, maxLoopDelayMs: 60_000 } },
    );
    opened.push(app);
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const authorization = `Bearer ${await token()}`;
    const first = post(origin, authorization);
    await held.calls(1);
    const leaving = new AbortController();
    const gone = request(`${origin}/api/v1/orchestrate`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ services: ["held"] }),
      signal: leaving.signal,
    }).catch((error: unknown) => error);
    await until(app, /^parex_orchestrations_queued 1$/m);
    leaving.abort();
    await gone;
    await until(app, /^parex_orchestrations_queued 0$/m);
    held.release();
    assert.equal((await first).status, 200);
    // Only the first request reached the service: the one that left never ran.
    const metrics = (await app.inject({ url: "/metrics" })).body;
    assert.match(metrics, /^parex_runs_total\{kind="orchestration",status="succeeded"\} 1$/m);
  });
});
