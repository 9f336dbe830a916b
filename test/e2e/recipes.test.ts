import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { before, describe, it } from "node:test";

const root = new URL("../../", import.meta.url).pathname;

/** Runs `args` with this Node from the checkout's root, as a user would run a recipe. */
function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const recipe = (name: string, ...args: string[]) =>
  node(["--import", "tsx", `examples/everyday/${name}.ts`, ...args]);

function psql(sql: string): string {
  const result = spawnSync(
    "psql",
    ["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", sql],
    {
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The machine's PostgreSQL, started as the machine's notes say when it is down. */
function ensurePostgres(): void {
  const ready = () => spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432"]).status === 0;
  if (ready()) return;
  const versions = spawnSync("ls", ["/etc/postgresql"], { encoding: "utf8" }).stdout.trim();
  spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", versions, "main", "start"]);
  for (let i = 0; i < 50 && !ready(); i++) spawnSync("sleep", ["0.2"]);
  assert.ok(ready(), "PostgreSQL on 127.0.0.1:5432 is down and could not be started");
}

const scratchSchemas = () =>
  Number(psql("select count(*) from pg_namespace where nspname like 'recipe\\_%'"));

describe("the everyday recipes (examples/everyday, small sizes, for real)", () => {
  let schemasBefore = 0;
  before(() => {
    ensurePostgres();
    schemasBefore = scratchSchemas();
  });

  it("batch-awaits: reads files both ways with equal results; starts without Redis on its fallback", () => {
    const { code, stdout, stderr } = recipe(
      "batch-awaits",
      "--size",
      "20",
      "--redis",
      "redis://127.0.0.1:1",
    );
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /reading 20 source files/);
    assert.match(stdout, /parallel result equals sequential: yes/);
    assert.match(stdout, /GET \/health → \{"app":"parex [^"]+","database":"PostgreSQL \d+/);
    assert.match(stdout, /"cache":"none: started without the cache \(Redis unavailable\)"/);
    assert.match(stdout, /cache: fallback used after 1 attempt\(s\)/);
    assert.equal(
      stdout.match(/one at a time +\S+ m?s\n +in parallel +\S+ m?s +\([\d.]+× faster\)/g)?.length,
      2,
    );
  });

  it("db-queries: the same answers in parallel; a locked query times out, is cancelled in PostgreSQL, and the dashboard answers", () => {
    const { code, stdout, stderr } = recipe("db-queries", "--size", "2000");
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /parallel result equals sequential: yes/);
    assert.match(stdout, /invoices panel: gave up after \d+ ms, fallback used: yes/);
    assert.match(stdout, /dashboard: succeeded, 5 panels answered/);
    assert.match(
      stdout,
      /the stuck statement: cancelled in PostgreSQL: canceling statement due to user request/,
    );
    assert.match(stdout, /invoice queries still running in PostgreSQL: 0/);
  });

  it("api-fanout: parex retries the 503s and queues the slow webhook; Promise.all loses those payments; an abort closes the charge", () => {
    const { code, stdout, stderr } = recipe("api-fanout", "--size", "8");
    assert.equal(code, 0, stdout + stderr);
    // Payments 1 and 5 get a 503 first; payment 7's webhook receiver is slow.
    assert.match(
      stdout,
      /parex: 8 of 8 paid; 2 charges retried after a 503; 1 webhooks timed out → 1 in the outbox/,
    );
    assert.match(stdout, /one at a time: 8 of 8 paid/);
    assert.match(
      stdout,
      /the seed's Promise.all: 6 of 8 paid in \S+ m?s, 2 failed \(POST \/charges answered 503\)/,
    );
    assert.match(stdout, /run: cancelled; confirm: cancelled/);
    assert.match(stdout, /closed before it answered: yes/);
    assert.match(stdout, /the payment row: pending/);
  });

  it("bulk: parallelMap inserts every record with a progress line, stops at the first error, while Promise.all runs on", () => {
    const { code, stdout, stderr } = recipe("bulk", "--size", "200", "--clients", "40");
    assert.equal(code, 0, stdout + stderr);
    const progress = [...stdout.matchAll(/progress (\d+)\/200/g)].map((m) => Number(m[1]));
    assert.deepEqual(progress.slice(0, 10), [20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    for (const variant of ["one-at-a-time", "parallelMap", "p-map", "promise-all-pool"]) {
      assert.match(stdout, new RegExp(`  ${variant} .* 200 rows; no errors`));
    }
    assert.match(stdout, / promise-all-clients .* 40 rows;/);
    const queued = Number(/Promise.all on a pool: ([\d,]+) queries queued/.exec(stdout)?.[1]);
    assert.ok(queued > 10, `queued ${queued}`);
    assert.match(stdout, /parallelMap inserted every record, as one-at-a-time did: yes/);
    const stopped =
      /parallelMap: stopped with 1× ".*check constraint.*"; (\d+) rows inserted, (\d+) records never started/.exec(
        stdout,
      );
    assert.ok(stopped, stdout);
    assert.ok(Number(stopped[1]) < 199 && Number(stopped[2]) > 0, stopped[0]);
    assert.match(
      stdout,
      /Promise.all: rejected with \d+ rows inserted, but the other records ran on: 199 rows in the end/,
    );
  });

  it("cache-refresh: a stale hit is served before its refresh; concurrent refreshes are one; timeouts open the breaker", () => {
    const { code, stdout, stderr } = recipe("cache-refresh", "--size", "2000");
    assert.equal(code, 0, stdout + stderr);
    assert.match(
      stdout,
      /served a stale answer: 20 messages; refreshed conversation 1: 21 messages/,
    );
    assert.match(stdout, /after the refresh: 21 messages \(was 20\)/);
    assert.match(stdout, /50 concurrent requests for one stale entry → 1 refresh/);
    for (const request of [1, 2, 3]) {
      assert.match(
        stdout,
        new RegExp(
          `request ${request}: answered 20 messages in .*; store queried; refresh of conversation 2 failed: timeout`,
        ),
      );
    }
    assert.match(
      stdout,
      /request 4: answered 20 messages in .*; store not queried; refresh of conversation 2 failed: breaker-open/,
    );
    assert.match(
      stdout,
      /breaker CLOSED → OPEN; refresh of conversation 2 failed: timeout; refresh of conversation 2 failed: breaker-open; breaker OPEN → HALF_OPEN; breaker HALF_OPEN → CLOSED; refreshed conversation 2: 20 messages/,
    );
  });

  it("workflows: the test watcher starts once the dev server's port answers, and the server is stopped at the end", async () => {
    const { code, stdout, stderr } = node(
      [
        `${root}bin/parex.js`,
        "run",
        "-c",
        "examples/everyday/workflows/parex.config.ts",
        "--compare-sequential",
      ],
      { WATCH_ROUNDS: "1" },
    );
    assert.equal(code, 0, stdout + stderr);
    assert.match(
      stdout,
      /dev server on http:\/\/127\.0\.0\.1:\d+[\s\S]*● dev-server ready[\s\S]*▶ test-watcher/,
    );
    assert.match(stdout, /round 1: 3\/3 tests passed/);
    assert.match(stdout, /· succeeded · 4 tasks/);
    assert.match(stdout, /measured one at a time: \S+ s, so the parallel run was [\d.]+× faster/);
    const port = Number(/dev server on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(true));
    });
    assert.ok(refused, `the dev server still listens on ${port}`);
  });

  it("left no schema of theirs in PostgreSQL", () => {
    assert.equal(scratchSchemas(), schemasBefore);
  });
});
