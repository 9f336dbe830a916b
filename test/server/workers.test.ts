import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { QueueReader } from "../../src/server/index.js";
import { serverFor, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

const snapshot = {
  queue: "parex",
  workers: [{ id: "ci-1/4242", host: "ci-1", pid: 4242, slots: 4, running: 3, at: 1_000 }],
  jobs: { waiting: 5, prioritized: 0, active: 3, delayed: 0, completed: 120, failed: 2 },
};

async function server(queue?: QueueReader) {
  const app = await serverFor({}, queue === undefined ? {} : { queue });
  opened.push(app);
  return app;
}

describe("the distributed queue on parex serve", () => {
  it("lists its workers and jobs at GET /api/v1/workers, with a JWT", async () => {
    let reads = 0;
    const app = await server(() => {
      reads++;
      return Promise.resolve(snapshot);
    });
    const headers = { authorization: `Bearer ${await token()}` };
    const answer = await app.inject({ url: "/api/v1/workers", headers });
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), snapshot);
    assert.equal((await app.inject({ url: "/api/v1/workers" })).statusCode, 401);
    assert.equal(reads, 1);
  });

  it("exposes the queue's jobs and workers to Prometheus, read once per scrape", async () => {
    let reads = 0;
    const app = await server(() => {
      reads++;
      return Promise.resolve(snapshot);
    });
    const text = (await app.inject({ url: "/metrics" })).body;
    assert.match(text, /^parex_queue_jobs\{state="waiting"\} 5$/m);
    assert.match(text, /^parex_queue_jobs\{state="failed"\} 2$/m);
    assert.match(text, /^parex_queue_workers\{measure="workers"\} 1$/m);
    assert.match(text, /^parex_queue_workers\{measure="slots"\} 4$/m);
    assert.match(text, /^parex_queue_workers\{measure="running"\} 3$/m);
    assert.equal(reads, 1);
  });

  it("says there is no queue (404), or that its Redis does not answer (503)", async () => {
    const headers = { authorization: `Bearer ${await token()}` };
    const none = await (await server()).inject({ url: "/api/v1/workers", headers });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json<{ error: { code: string } }>().error.code, "QUEUE_NOT_CONFIGURED");
    const down = await server(() =>
      Promise.reject(new Error("Cannot reach Redis at redis://q:6379")),
    );
    const answer = await down.inject({ url: "/api/v1/workers", headers });
    assert.equal(answer.statusCode, 503);
    assert.deepEqual(answer.json<{ error: unknown }>().error, {
      code: "QUEUE_UNREACHABLE",
      message: "Cannot reach Redis at redis://q:6379",
    });
    const metrics = await down.inject({ url: "/metrics" });
    assert.equal(metrics.statusCode, 200);
    assert.doesNotMatch(metrics.body, /^parex_queue_jobs\{/m);
  });
});
