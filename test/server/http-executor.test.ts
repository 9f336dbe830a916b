import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { AttemptContext } from "../../src/core/index.js";
import { httpExecutor } from "../../src/server/index.js";
import { startService } from "./helpers.js";
import type { FakeService } from "./helpers.js";

const services: FakeService[] = [];
after(() => Promise.all(services.map((s) => s.close())));
const service = async (...args: Parameters<typeof startService>) => {
  const started = await startService(...args);
  services.push(started);
  return started;
};

function context(signal = new AbortController().signal): AttemptContext {
  return {
    taskId: "t",
    attempt: 1,
    signal,
    results: {},
    output: () => undefined,
    ready: () => undefined,
    process: () => undefined,
  };
}

describe("httpExecutor", () => {
  it("parses a JSON answer and sends the rendered body with the correlation id", async () => {
    const upstream = await service(() => ({ body: { price: 3 } }));
    const result = await httpExecutor().execute(
      {
        service: "quote",
        call: { url: upstream.url, method: "POST" },
        input: { sku: "a" },
        correlationId: "c-1",
      },
      context(),
    );
    assert.deepEqual(result, { ok: true, value: { price: 3 } });
    assert.equal(upstream.received[0]?.headers["x-correlation-id"], "c-1");
    assert.equal(upstream.received[0].method, "POST");
    assert.equal(upstream.received[0].headers["user-agent"], "parex");
  });

  it("fails an answer larger than maxResponseBytes", async () => {
    const upstream = await service(() => ({ body: "x".repeat(4096) }));
    const result = await httpExecutor({ maxResponseBytes: 1000 }).execute(
      { service: "big", call: { url: upstream.url }, input: {} },
      context(),
    );
    assert.ok(!result.ok);
    assert.equal(result.error?.code, "RESPONSE_TOO_LARGE");
  });

  it("fails a non-2xx answer with its status as the code", async () => {
    const upstream = await service(() => ({ status: 503 }));
    const result = await httpExecutor().execute(
      { service: "down", call: { url: upstream.url }, input: {} },
      context(),
    );
    assert.equal(!result.ok && result.error?.code, "HTTP_503");
  });

  it("stops a call when its signal fires and reports it as aborted", async () => {
    const upstream = await service(() => "hang");
    const controller = new AbortController();
    const pending = httpExecutor().execute(
      { service: "slow", call: { url: upstream.url }, input: {} },
      context(controller.signal),
    );
    while (upstream.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    assert.deepEqual(await pending, { ok: false, reason: "aborted" });
    while (upstream.inFlight() > 0) await new Promise((r) => setTimeout(r, 5));
  });
});
