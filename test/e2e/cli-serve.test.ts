import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { secret, startService, token } from "../server/helpers.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function project(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-serve-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  return dir;
}

describe("parex serve (end to end)", () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  it("serves the configured services and pipelines, and stops cleanly on SIGTERM", async () => {
    const users = await startService(() => ({ body: [{ id: 1 }] }));
    closers.push(() => users.close());
    const dir = project({
      tasks: { hello: `${JSON.stringify(process.execPath)} -e "console.log('hi')"` },
      server: {
        auth: { issuer: "https://auth.test", audience: "parex" },
        services: { users: { url: `${users.url}/users` } },
        pipelines: { greet: ["hello"] },
      },
    });
    const cliRun = spawnSync(process.execPath, [bin, "run", "--json"], {
      cwd: dir,
      encoding: "utf8",
    });
    const { runId: cliRunId } = JSON.parse(cliRun.stdout) as { runId: string };
    const child = spawn(process.execPath, [bin, "serve", "--port", "0"], {
      cwd: dir,
      env: { ...process.env, PAREX_JWT_SECRET: secret },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    while (!/listening on (\S+)/.test(stderr)) {
      await new Promise((resolve) => child.stderr.once("data", resolve));
    }
    const address = /listening on (\S+)/.exec(stderr)?.[1] ?? "";
    const authorization = `Bearer ${await token()}`;

    const health = await fetch(`${address}/health`);
    assert.equal(health.status, 200);
    const answer = await fetch(`${address}/api/v1/orchestrate`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ services: ["users"] }),
    });
    const body = (await answer.json()) as { data: { services: { users: { data: unknown } } } };
    assert.deepEqual(body.data.services.users.data, [{ id: 1 }], JSON.stringify(body));

    const started = await fetch(`${address}/api/v1/runs`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ pipeline: "greet" }),
    });
    assert.equal(started.status, 202);
    const { runId } = (await started.json()) as { runId: string };
    const events = await (
      await fetch(`${address}/api/v1/runs/${runId}/events`, { headers: { authorization } })
    ).text();
    assert.match(events, /event: task\.output\n.*"chunk":"hi\\n"/);
    assert.match(events, /event: run\.finished\ndata: .*"status":"succeeded"/);
    const listed = (await (
      await fetch(`${address}/api/v1/runs`, { headers: { authorization } })
    ).json()) as {
      runs: { runId: string }[];
    };
    assert.deepEqual(
      listed.runs.map((run) => run.runId),
      [runId, cliRunId],
      "the history's runs (parex run) come after the server's own",
    );

    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /parex serve: stopped/);
  });

  it("refuses to start without a JWT secret, and says how to give one", () => {
    const dir = project({ tasks: {}, server: {} });
    const env = { ...process.env };
    delete env["PAREX_JWT_SECRET"];
    const result = spawnSync(process.execPath, [bin, "serve"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      "parex serve: no JWT secret: set the environment variable PAREX_JWT_SECRET (server.auth.secretEnv) to a random string of at least 32 characters.\n",
    );
  });

  it("refuses a public key file that is not a PEM key", () => {
    const dir = project({
      tasks: {},
      server: { auth: { algorithms: ["RS256"], publicKeyFile: "key.pem" } },
    });
    writeFileSync(join(dir, "key.pem"), "not a key");
    const result = spawnSync(process.execPath, [bin, "serve"], { cwd: dir, encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      'parex serve: key.pem (server.auth) is not a PEM public key. Give the "-----BEGIN PUBLIC KEY-----" text of an RSA or EC key.\n',
    );
  });

  it("documents its options in --help", () => {
    const result = spawnSync(process.execPath, [bin, "serve", "--help"], { encoding: "utf8" });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: parex serve \[options\]/);
    assert.match(result.stdout, /--port N/);
  });
});
