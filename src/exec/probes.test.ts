import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { describeProbe, waitUntilReady } from "./probes.js";

const noLines = { onLine: () => () => undefined };

describe("readiness probes", () => {
  it("waits for an HTTP 2xx, not for any answer", async () => {
    let healthy = false;
    const server = createServer((_, response) => {
      response.statusCode = healthy ? 200 : 503;
      response.end();
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    try {
      const ready = waitUntilReady(
        { url, timeoutMs: 5_000 },
        { signal: new AbortController().signal, ...noLines },
      );
      setTimeout(() => (healthy = true), 150);
      assert.equal(await ready, true);
      assert.equal(
        await waitUntilReady(
          { url: "http://127.0.0.1:1/", timeoutMs: 200 },
          { signal: new AbortController().signal, ...noLines },
        ),
        false,
      );
    } finally {
      server.close();
    }
  });

  it("matches a log line, and stops waiting when told to", async () => {
    const listeners = new Set<(line: string) => void>();
    const onLine = (listener: (line: string) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const ready = waitUntilReady(
      { log: "listening on \\d+" },
      { signal: new AbortController().signal, onLine },
    );
    for (const listener of listeners) listener("booting");
    for (const listener of listeners) listener("listening on 8080");
    assert.equal(await ready, true);
    assert.equal(listeners.size, 0, "unsubscribed");
    const stop = new AbortController();
    const waiting = waitUntilReady({ log: "never" }, { signal: stop.signal, onLine });
    stop.abort();
    assert.equal(await waiting, false);
  });

  it("describes probes for messages", () => {
    assert.deepEqual(
      [
        describeProbe({ port: 5432 }),
        describeProbe({ url: "http://x/health" }),
        describeProbe({ log: "ready" }),
      ],
      ["port 5432", "GET http://x/health", "a log line matching /ready/"],
    );
  });
});
