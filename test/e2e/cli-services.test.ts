import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { alive, freePort } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const node = JSON.stringify(process.execPath);

function run(config: unknown, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "parex-svc-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  const result = spawnSync(process.execPath, [bin, "run", ...args], { cwd: dir, encoding: "utf8" });
  return { dir, code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("persistent services with readiness probes (end to end)", () => {
  it("starts dependents once the port is open, and stops the service when the run ends", async () => {
    const port = await freePort();
    const server = `require('fs').writeFileSync('server.pid', String(process.pid)); setTimeout(() => require('http').createServer((q, s) => s.end('pong')).listen(${port}), 300)`;
    const client = `fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log)`;
    const { dir, code, stdout } = run({
      killGraceMs: 500,
      tasks: {
        api: {
          run: `${node} -e ${JSON.stringify(server)}`,
          persistent: true,
          ready: { port, timeoutMs: 10_000 },
        },
        check: { run: `${node} -e ${JSON.stringify(client)}`, dependsOn: ["api"] },
      },
    });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /check +│ pong/);
    assert.match(stdout, /✔ api succeeded/);
    assert.equal(
      alive(Number(readFileSync(join(dir, "server.pid"), "utf8"))),
      false,
      "the service was stopped",
    );
  });

  it("waits for a log line", () => {
    const { code, stdout } = run({
      tasks: {
        worker: {
          run: "echo booting; sleep 0.2; echo 'listening on 1234'; sleep 30",
          persistent: true,
          ready: { log: "listening on \\d+" },
        },
        job: { run: "echo job ran", dependsOn: ["worker"] },
      },
    });
    assert.equal(code, 0);
    const lines = stdout.split("\n");
    const listening = lines.findIndex((l) => l.includes("listening on 1234"));
    const job = lines.findIndex((l) => l.includes("job ran"));
    assert.ok(listening >= 0 && job > listening);
  });

  it("fails a service that is not ready in time, and never starts what needs it", async () => {
    const port = await freePort();
    const { code, stdout } = run(
      {
        tasks: {
          db: { run: "sleep 30", persistent: true, ready: { port, timeoutMs: 300 } },
          migrate: { run: "echo migrating", dependsOn: ["db"] },
        },
      },
      ["--json", "--output", "none"],
    );
    assert.equal(code, 1);
    const summary = JSON.parse(stdout) as {
      tasks: { id: string; status: string; reason?: string }[];
    };
    assert.deepEqual(
      summary.tasks.map((t) => [t.id, t.status, t.reason]),
      [
        ["db", "failed", "timeout"],
        ["migrate", "skipped", "dependency-failed"],
      ],
    );
  });
});
