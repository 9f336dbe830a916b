import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deadUrl, startRemoteCacheServer } from "../testing/index.js";
import type { RemoteCacheServer } from "../testing/index.js";
import { RemoteCache } from "./remote-cache.js";

const key = (digit: string): string => digit.repeat(64);
const artifact = Buffer.from([0x1f, 0x8b, 8, 0, 0, 255, 1, 2, 3]);

/** A server that takes every request and never answers; `stop` drops the connections. */
async function silentServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(() => undefined);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

describe("RemoteCache against turborepo-remote-cache", () => {
  let server: RemoteCacheServer;
  let signing: RemoteCacheServer;
  before(async () => {
    [server, signing] = await Promise.all([
      startRemoteCacheServer(),
      startRemoteCacheServer({ signing: true }),
    ]);
  });
  after(async () => {
    await Promise.all([server.stop(), signing.stop()]);
  });

  it("misses a key never uploaded, then gives back the bytes uploaded under it", async () => {
    const cache = new RemoteCache({ url: server.url, token: server.token, team: "parex" });
    assert.deepEqual(await cache.get(key("a")), { status: "miss" });
    assert.deepEqual(await cache.put(key("a"), artifact, { durationMs: 1234 }), {
      status: "stored",
    });
    assert.deepEqual(await cache.get(key("a")), { status: "hit", artifact });
    assert.deepEqual(readFileSync(join(server.storage, "parex", key("a"))), artifact);
  });

  it("keeps teams apart: a slug and a team id each have their own entries", async () => {
    const slug = new RemoteCache({ url: server.url, token: server.token, team: "one" });
    const id = new RemoteCache({ url: server.url, token: server.token, team: "team_two" });
    await slug.put(key("b"), artifact, { durationMs: 1 });
    assert.equal((await slug.get(key("b"))).status, "hit");
    assert.deepEqual(await id.get(key("b")), { status: "miss" });
  });

  it("says a refused token is an auth failure, with the server's words", async () => {
    const cache = new RemoteCache({ url: `${server.url}/`, token: "wrong", team: "parex" });
    assert.deepEqual(await cache.get(key("a")), {
      status: "unavailable",
      reason: "auth",
      problem: `${server.url} answered 401 Unauthorized: {"message":"Invalid authorization token"}`,
    });
    assert.equal((await cache.put(key("c"), artifact, { durationMs: 1 })).status, "unavailable");
  });

  it("restores a signed entry, and refuses one whose bytes were altered on the server", async () => {
    const options = { url: signing.url, token: signing.token, team: "parex" };
    const cache = new RemoteCache({ ...options, signatureKey: "secret" });
    await cache.put(key("d"), artifact, { durationMs: 5 });
    assert.deepEqual(await cache.get(key("d")), { status: "hit", artifact });
    const stored = join(signing.storage, "parex", key("d"));
    writeFileSync(stored, Buffer.concat([readFileSync(stored), Buffer.from("poison")]));
    assert.deepEqual(await cache.get(key("d")), {
      status: "refused",
      problem: "its signature does not match",
    });
  });

  it("refuses an entry signed with another key, and an unsigned one, when signing is on", async () => {
    const options = { url: signing.url, token: signing.token, team: "parex" };
    await new RemoteCache({ ...options, signatureKey: "one" }).put(key("e"), artifact, {
      durationMs: 5,
    });
    const other = new RemoteCache({ ...options, signatureKey: "two" });
    assert.equal((await other.get(key("e"))).status, "refused");
    // A server that does not keep tags (no signing key of its own) sends none back.
    const plain = { url: server.url, token: server.token, team: "parex" };
    await new RemoteCache({ ...plain, signatureKey: "one" }).put(key("f"), artifact, {
      durationMs: 5,
    });
    assert.deepEqual(await new RemoteCache({ ...plain, signatureKey: "one" }).get(key("f")), {
      status: "refused",
      problem: "it has no signature",
    });
  });
});

describe("RemoteCache when the server is not there", () => {
  it("says a URL where nothing listens is unreachable", async () => {
    const url = await deadUrl();
    const found = await new RemoteCache({ url, token: "t" }).get(key("a"));
    assert.ok(found.status === "unavailable", `expected unavailable, got ${found.status}`);
    assert.equal(found.reason, "unreachable");
    assert.match(found.problem, /^cannot reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\)$/);
  });

  it("gives up on a server that never answers, after its timeout", async () => {
    const silent = await silentServer();
    try {
      const cache = new RemoteCache({ url: silent.url, token: "t", timeoutMs: 200 });
      assert.deepEqual(await cache.get(key("a")), {
        status: "unavailable",
        reason: "timeout",
        problem: `no answer from ${silent.url} within 0.2 s`,
      });
      const slowUpload = new RemoteCache({ url: silent.url, token: "t", transferTimeoutMs: 200 });
      assert.equal(
        (await slowUpload.put(key("a"), artifact, { durationMs: 1 })).status,
        "unavailable",
      );
    } finally {
      await silent.stop();
    }
  });

  it("stops a request when the caller's signal is aborted", async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const cache = new RemoteCache({ url: silent.url, token: "t" });
      const pending = cache.get(key("a"), { signal: controller.signal });
      controller.abort();
      assert.deepEqual(await pending, {
        status: "unavailable",
        reason: "unreachable",
        problem: `the request to ${silent.url} was cancelled`,
      });
    } finally {
      await silent.stop();
    }
  });
});
