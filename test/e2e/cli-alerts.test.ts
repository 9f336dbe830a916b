import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

/** Runs parex asynchronously, so that a server in this process can answer it. */
function run(config: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "parex-alerts-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  const child = spawn(
    process.execPath,
    [bin, "run", "--json", "--output", "none", "--no-history"],
    { cwd: dir },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("alerts (end to end)", () => {
  it("prints the alerts a run raises, keeps them in the summary and POSTs them once to the webhook", async () => {
    const received: unknown[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push({
          method: request.method,
          type: request.headers["content-type"],
          body: JSON.parse(body) as unknown,
        });
        response.end("ok");
      });
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const { code, stdout, stderr } = await run({
        alerts: {
          rules: [
            { name: "slow run", metric: "makespanMs", above: 1 },
            { metric: "efficiency", below: 0 },
          ],
          webhook: { url },
        },
        tasks: { wait: "sleep 0.05" },
      });
      assert.equal(code, 0, "alerts never change the outcome");
      assert.match(stderr, /! slow run: \d+(\.\d+)? > 1/);
      const summary = JSON.parse(stdout) as { runId: string; alerts: { name: string }[] };
      assert.deepEqual(
        summary.alerts.map((a) => a.name),
        ["slow run"],
      );
      assert.equal(received.length, 1);
      const [post] = received as {
        method: string;
        type: string;
        body: { runId: string; alerts: unknown[] };
      }[];
      assert.equal(post?.method, "POST");
      assert.equal(post.type, "application/json");
      assert.equal(post.body.runId, summary.runId);
      assert.equal(post.body.alerts.length, 1);
    } finally {
      server.close();
    }
  });

  it("reports a webhook it cannot reach, and the run's exit code stays", async () => {
    const { code, stderr } = await run({
      alerts: {
        rules: [{ metric: "makespanMs", above: 1 }],
        webhook: { url: "http://127.0.0.1:1/hook", timeoutMs: 500 },
      },
      tasks: { wait: "sleep 0.05" },
    });
    assert.equal(code, 0);
    assert.match(stderr, /parex: alerts not delivered to http:\/\/127\.0\.0\.1:1\/hook: /);
  });
});
