import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { after, describe, it } from "node:test";

const root = new URL("../../", import.meta.url).pathname;
const dir = `${root}examples/api-gateway`;
const secret = "an-example-secret-of-at-least-32-characters";

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** A base port whose next two ports were free too, at the moment of asking. */
async function freeBlockOfThree(): Promise<number> {
  for (;;) {
    const first = await listen(0);
    const base = (first?.address() as { port: number } | undefined)?.port ?? 0;
    const rest =
      base > 0 && base < 65534 ? await Promise.all([listen(base + 1), listen(base + 2)]) : [];
    const held = [first, ...rest].filter((server) => server !== undefined);
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (held.length === 3) return base;
  }
}

/** Starts a process and waits until its output matches `ready`; resolves with the match. */
async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ...env } });
  let output = "";
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = once(child, "exit").then(() => {
    throw new Error(`exited before it was ready:\n${output}`);
  });
  while (!ready.test(output)) {
    await Promise.race([once(child.stdout, "data"), once(child.stderr, "data"), exited]);
  }
  exited.catch(() => undefined); // an exit after it was ready is the test's business
  return { child, match: ready.exec(output) };
}

describe("example api-gateway (run for real)", () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill("SIGKILL");
  });

  it("orchestrates the three upstreams, with a fallback every other call, and runs the ci pipeline", async () => {
    // Another process may take one of the three ports between the check and the listen: the
    // upstreams then exit with a message, and the test takes another block.
    let env = { UPSTREAM_PORT: "", PAREX_JWT_SECRET: secret };
    for (let attempt = 1; ; attempt++) {
      env = { ...env, UPSTREAM_PORT: String(await freeBlockOfThree()) };
      try {
        const upstreams = await start(["upstreams.mjs"], env, /upstreams listening/);
        children.push(upstreams.child);
        break;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
    const serve = await start(
      [`${root}bin/parex.js`, "serve", "--port", "0"],
      env,
      /listening on (\S+) /,
    );
    children.push(serve.child);
    const address = serve.match?.[1] ?? "";
    const token = spawnSync(process.execPath, ["token.mjs", "pro"], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: "utf8",
    }).stdout.trim();
    const call = async () => {
      const response = await fetch(`${address}/api/v1/orchestrate`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          requiredServices: ["orders"],
          optionalServices: ["recommendations"],
          aggregationStrategy: "partial",
          input: { since: "2026-01-01" },
        }),
      });
      return (await response.json()) as {
        success: boolean;
        data: { services: Record<string, { data?: unknown; fallbackUsed: boolean }> };
      };
    };
    const first = await call();
    assert.equal(first.success, true, JSON.stringify(first));
    assert.deepEqual(first.data.services["orders"]?.data, {
      user: 7,
      orders: [{ id: 1, total: 42 }],
    });
    assert.deepEqual(first.data.services["recommendations"]?.data, ["book"]);
    const second = await call();
    assert.equal(second.success, true, JSON.stringify(second));
    assert.equal(second.data.services["recommendations"]?.fallbackUsed, true);
    assert.deepEqual(second.data.services["recommendations"].data, []);

    const run = await fetch(`${address}/api/v1/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ pipeline: "ci" }),
    });
    const { runId } = (await run.json()) as { runId: string };
    const events = await (
      await fetch(`${address}/api/v1/runs/${runId}/events`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    assert.match(events, /12 tests passed/);
    assert.match(events, /event: run\.finished\ndata: .*"status":"succeeded"/);

    serve.child.kill("SIGTERM");
    assert.equal(await new Promise((resolve) => serve.child.once("exit", resolve)), 0);
  });
});
