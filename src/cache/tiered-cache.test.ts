import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deadUrl, startRemoteCacheServer } from "../testing/index.js";
import type { RemoteCacheServer } from "../testing/index.js";
import { LocalCache } from "./local-cache.js";
import { RemoteCache } from "./remote-cache.js";
import { TieredCache } from "./tiered-cache.js";
import type { RemoteWarning } from "./tiered-cache.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function localCache(): LocalCache {
  const dir = mkdtempSync(join(tmpdir(), "parex-tiered-"));
  dirs.push(dir);
  return new LocalCache(dir);
}

const key = (digit: string): string => digit.repeat(64);
const artifact = Buffer.from("an artifact");
const meta = { taskId: "build", durationMs: 700, createdAt: 1_700_000_000_000 };

describe("TieredCache", () => {
  let server: RemoteCacheServer;
  before(async () => {
    server = await startRemoteCacheServer({ signing: true });
  });
  after(async () => {
    await server.stop();
  });
  // This server keeps tags, and answers 404 for an entry without one: every client here signs.
  const remote = () =>
    new RemoteCache({ url: server.url, token: server.token, team: "tiered", signatureKey: "k" });

  it("stores locally and uploads, so a machine with an empty cache hits remotely", async () => {
    const a = new TieredCache(localCache(), { remote: remote() });
    await a.put(key("a"), artifact, meta);
    await a.flush();
    assert.deepEqual(await a.get(key("a"), "build"), {
      artifact,
      source: "local",
      durationMs: 700,
    });
    const bLocal = localCache();
    const b = new TieredCache(bLocal, { remote: remote() });
    assert.deepEqual(await b.get(key("a"), "build"), { artifact, source: "remote" });
    assert.deepEqual(await bLocal.get(key("a")), artifact, "a remote hit is kept locally");
    assert.equal((await b.get(key("a"), "build"))?.source, "local");
  });

  it("misses when neither has the key", async () => {
    const cache = new TieredCache(localCache(), { remote: remote() });
    assert.equal(await cache.get(key("b"), "build"), undefined);
  });

  it("refuses a tampered signed entry with one warning naming the task, and keeps asking", async () => {
    const warnings: RemoteWarning[] = [];
    const a = new TieredCache(localCache(), { remote: remote() });
    await a.put(key("c"), artifact, meta);
    await a.flush();
    const stored = join(server.storage, "tiered", key("c"));
    writeFileSync(stored, Buffer.concat([readFileSync(stored), Buffer.from("!")]));
    const bLocal = localCache();
    const b = new TieredCache(bLocal, {
      remote: remote(),
      warn: (warning) => warnings.push(warning),
    });
    assert.equal(await b.get(key("c"), "build"), undefined);
    assert.equal(await bLocal.get(key("c")), undefined, "never kept locally");
    assert.deepEqual(warnings, [
      { kind: "refused", taskId: "build", problem: "its signature does not match" },
    ]);
    assert.equal(b.remoteInUse, true);
  });

  it("says once that the remote cache is down, then asks it no more, and the local cache goes on", async () => {
    const warnings: RemoteWarning[] = [];
    const local = localCache();
    const cache = new TieredCache(local, {
      remote: new RemoteCache({ url: await deadUrl(), token: "t" }),
      warn: (warning) => warnings.push(warning),
    });
    const lookups = await Promise.all(["1", "2", "3"].map((d) => cache.get(key(d), "build")));
    assert.deepEqual(lookups, [undefined, undefined, undefined]);
    await cache.put(key("4"), artifact, meta);
    await cache.flush();
    assert.deepEqual(await cache.get(key("4"), "build"), {
      artifact,
      source: "local",
      durationMs: 700,
    });
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]?.kind, "unavailable");
    assert.equal(cache.remoteInUse, false);
  });

  it("with no remote cache, is the local cache", async () => {
    const cache = new TieredCache(localCache());
    await cache.put(key("5"), artifact, meta);
    assert.equal((await cache.get(key("5"), "build"))?.source, "local");
    assert.equal(cache.remoteInUse, false);
  });
});
