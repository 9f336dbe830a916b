import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freePort } from "../testing/index.js";
import { connectRedis, redactedUrl } from "./connection.js";

describe("connectRedis", () => {
  it("says which Redis does not answer, where its URL came from, and hides the password", async () => {
    const port = await freePort();
    await assert.rejects(connectRedis(`redis://ci:secret@127.0.0.1:${port}`, "PAREX_REDIS_URL"), {
      name: "ParexError",
      code: "REDIS_UNREACHABLE",
      message: `Cannot reach Redis at redis://ci:***@127.0.0.1:${port} (PAREX_REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}. Start it, or point PAREX_REDIS_URL at one that runs.`,
    });
  });

  it("refuses a URL that is not redis:// or rediss://", async () => {
    await assert.rejects(connectRedis("queue-host:6379", "--redis"), {
      message:
        'Invalid Redis URL "queue-host:6379" (--redis): use redis://host:6379, or rediss://user:password@host:6380 for TLS.',
    });
  });
});

describe("redactedUrl", () => {
  it("hides the password and keeps the rest", () => {
    assert.equal(redactedUrl("rediss://ci:s3cr3t@queue:6380/2"), "rediss://ci:***@queue:6380/2");
    assert.equal(redactedUrl("redis://queue:6379"), "redis://queue:6379");
    assert.equal(redactedUrl("::"), "(not a URL)");
  });
});
