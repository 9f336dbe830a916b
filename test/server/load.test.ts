import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import autocannon from "autocannon";
import { buildGraph } from "../../src/core/index.js";
import { functionExecutor } from "../../src/exec/index.js";
import { serverFor, startService, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

// Bounded: a fixed number of requests, so the test costs the same on any machine.
const requests = 600;

describe("under load (autocannon, fixed request count, 127.0.0.1)", () => {
  it("answers every orchestration and loses no run", async () => {
    const upstreams = await Promise.all(
      [1, 2, 3].map((n) => startService(() => ({ body: { n } }))),
    );
    opened.push(...upstreams);
    const [a, b, c] = upstreams.map((u) => u.url);
    const app = await serverFor(
      {
        a: { url: a! },
        b: { url: b! },
        c: { url: c!, dependsOn: ["a"] },
      },
      {
        pipelines: {
          graphs: {
            ci: buildGraph([
              { id: "build", run: () => 1 },
              { id: "test", run: () => 2, dependsOn: ["build"] },
            ]),
          },
          executor: () => functionExecutor,
        },
        // Every run accepted: this test counts losses, not the bound (runs.test.ts has that).
        admission: { maxPipelineRuns: 100 },
      },
    );
    opened.push(app);
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const authorization = `Bearer ${await token()}`;
    const result = await autocannon({
      url: `${address}/api/v1/orchestrate`,
      method: "POST",
      connections: 10,
      amount: requests,
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ services: ["b", "c"] }),
    });
    assert.equal(result.errors, 0);
    assert.equal(result.timeouts, 0);
    assert.equal(result.non2xx, 0);
    assert.equal(result["2xx"], requests);
    const metrics = (await app.inject({ url: "/metrics" })).body;
    assert.match(
      metrics,
      new RegExp(
        `^parex_runs_total\\{kind="orchestration",status="succeeded"\\} ${requests}$`,
        "m",
      ),
    );
    assert.equal(
      upstreams.reduce((sum, u) => sum + u.received.length, 0),
      requests * 3,
    );

    const runs = await autocannon({
      url: `${address}/api/v1/runs`,
      method: "POST",
      connections: 5,
      amount: 100,
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ pipeline: "ci" }),
    });
    assert.equal(runs["2xx"], 100);
    const listed = async () =>
      (await app.inject({ url: "/api/v1/runs?limit=100", headers: { authorization } })).json<{
        runs: { status: string }[];
      }>().runs;
    while ((await listed()).some((run) => run.status === "running"))
      await new Promise((r) => setImmediate(r));
    const all = await listed();
    assert.equal(all.length, 100);
    assert.ok(all.every((run) => run.status === "succeeded"));
  });
});
