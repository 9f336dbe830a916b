import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { buildGraph } from "../../src/core/index.js";
import { functionExecutor } from "../../src/exec/index.js";
import { Sessions } from "../../src/server/index.js";
import type { RunHistory } from "../../src/server/index.js";
import {
  dashboardBuild,
  dashboardPage,
  serverFor,
  shiftedClock,
  signIn,
  startService,
  token,
  runToEnd,
} from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

const earlier = {
  id: "run_h",
  startedAt: Date.parse("2026-11-02T03:04:05Z"),
  status: "succeeded",
  summary: { tasks: [] },
};
const history: RunHistory = {
  recent: (limit) => [earlier].slice(0, limit),
  find: (id) => (earlier.id.startsWith(id) ? earlier : undefined),
  graph: () => ({ concurrency: 1, tasks: [{ id: "a", dependsOn: [] }] }),
};

/** `parex serve` with a dashboard build, a history run, a pipeline and a service. */
async function dashboardServer() {
  const clock = shiftedClock();
  const sessions = new Sessions(clock);
  const upstream = await startService(() => ({ body: 1 }));
  opened.push(upstream);
  const app = await serverFor(
    { users: { url: upstream.url } },
    {
      clock,
      sessions,
      dashboardDir: dashboardBuild(),
      taskLogs: (runId, taskId) =>
        runId === "run_h" && taskId === "a" ? { attempt: 1, text: "hello\n" } : undefined,
      pipelines: {
        graphs: { ci: buildGraph([{ id: "a", run: () => 1 }]) },
        executor: () => functionExecutor,
        history,
      },
    },
  );
  opened.push(app);
  return { app, clock, sessions };
}

/** Every route the dashboard loads or calls, for run `runId`. */
const dashboardRoutes = (runId: string) => [
  "/dashboard/",
  "/dashboard/assets/index-3f2a.js",
  "/api/v1/runs?status=succeeded",
  `/api/v1/runs/${runId}`,
  `/api/v1/runs/${runId}/events`,
  `/api/v1/runs/${runId}/graph`,
  "/api/v1/runs/run_h/tasks/a/log",
  "/api/v1/stats?by=day",
  "/api/v1/services",
  "/api/v1/system",
];

const loginRefusal =
  "This login link is unknown, used or expired: a link works once, within 5 minutes of being made. Get a new login link: parex serve prints one as it starts, and POST /api/v1/dashboard/login (with a JWT) returns one.\n";

describe("the dashboard's login on parex serve", () => {
  it("redeems a login link once for an HttpOnly, SameSite=Strict session cookie, and goes on to the dashboard", async () => {
    const { app, sessions } = await dashboardServer();
    const { ticket, expiresInSeconds } = sessions.ticket();
    assert.equal(expiresInSeconds, 300);
    assert.match(ticket, /^[\w-]{43}$/, "32 random bytes, base64url");
    const first = await app.inject({ url: `/login?ticket=${ticket}` });
    assert.equal(first.statusCode, 303);
    assert.equal(
      first.headers["location"],
      "/dashboard/",
      "no ticket or token in the URL it leaves",
    );
    assert.equal(first.headers["cache-control"], "no-store");
    assert.match(
      String(first.headers["set-cookie"]),
      /^parex_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );
    const again = await app.inject({ url: `/login?ticket=${ticket}` });
    assert.equal(again.statusCode, 401);
    assert.equal(again.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(again.body, loginRefusal);
    assert.equal((await app.inject({ url: "/login" })).body, loginRefusal);
  });

  it("refuses a login link after 5 minutes, and a session after 12 hours", async () => {
    const { app, clock, sessions } = await dashboardServer();
    const late = sessions.ticket().ticket;
    const { cookie } = await signIn(app, sessions);
    clock.advance(5 * 60_000);
    assert.equal((await app.inject({ url: `/login?ticket=${late}` })).body, loginRefusal);
    const headers = { cookie };
    assert.equal((await app.inject({ url: "/api/v1/runs", headers })).statusCode, 200);
    clock.advance(12 * 3_600_000 - 5 * 60_000);
    const expired = await app.inject({ url: "/api/v1/runs", headers });
    assert.equal(expired.statusCode, 401);
    assert.deepEqual(expired.json<{ error: unknown }>().error, {
      code: "AUTH_SESSION_EXPIRED",
      message:
        "The dashboard session has expired, or the server has restarted since it began. Get a new login link: parex serve prints one as it starts, and POST /api/v1/dashboard/login (with a JWT) returns one.",
    });
    const page = await app.inject({ url: "/dashboard/", headers });
    assert.equal(page.statusCode, 401);
  });

  it("requires the session cookie on every dashboard route and every API call the dashboard makes", async () => {
    const { app, sessions } = await dashboardServer();
    const runId = await runToEnd(app);
    const { cookie } = await signIn(app, sessions);
    for (const url of dashboardRoutes(runId)) {
      const anonymous = await app.inject({ url });
      assert.equal(anonymous.statusCode, 401, url);
      if (url.startsWith("/dashboard/")) {
        assert.equal(anonymous.headers["content-type"], "text/html; charset=utf-8");
        assert.match(anonymous.body, /<h1>Sign in to the parex dashboard<\/h1>/);
        assert.match(anonymous.body, /parex serve prints one as it starts/);
      } else {
        assert.deepEqual(anonymous.json<{ error: unknown }>().error, {
          code: "AUTH_MISSING_TOKEN",
          message: "No bearer token: send Authorization: Bearer <JWT>.",
        });
      }
      const forged = await app.inject({ url, headers: { cookie: "parex_session=forged" } });
      assert.equal(forged.statusCode, 401, `${url} with a cookie of no session`);
      const signedIn = await app.inject({ url, headers: { cookie: `theme=dark; ${cookie}` } });
      assert.equal(signedIn.statusCode, 200, `${url}: ${signedIn.body}`);
    }
  });

  it("opens nothing that starts or calls anything with the session cookie: those take a JWT", async () => {
    const { app, sessions } = await dashboardServer();
    const runId = await runToEnd(app);
    const { cookie } = await signIn(app, sessions);
    const writes = [
      { url: "/api/v1/runs", payload: { pipeline: "ci" } },
      { url: `/api/v1/runs/${runId}/ticket`, payload: {} },
      { url: "/api/v1/orchestrate", payload: { services: ["users"] } },
      { url: "/api/v1/dashboard/login", payload: {} },
    ];
    for (const { url, payload } of writes) {
      const response = await app.inject({ method: "POST", url, headers: { cookie }, payload });
      assert.equal(response.statusCode, 401, url);
      assert.equal(response.json<{ error: { code: string } }>().error.code, "AUTH_MISSING_TOKEN");
    }
  });

  it("gives a program with a JWT a new login link", async () => {
    const { app } = await dashboardServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/dashboard/login",
      headers: { authorization: `Bearer ${await token()}`, host: "parex.example:8443" },
    });
    const { url, expiresInSeconds } = response.json<{ url: string; expiresInSeconds: number }>();
    assert.equal(expiresInSeconds, 300);
    assert.match(url, /^http:\/\/parex\.example:8443\/login\?ticket=[\w-]{43}$/);
    const path = url.slice(url.indexOf("/login"));
    assert.equal((await app.inject({ url: path })).statusCode, 303);
  });
});

describe("the dashboard's files", () => {
  it("serves the page uncached and the hashed assets for good", async () => {
    const { app, sessions } = await dashboardServer();
    const headers = await signIn(app, sessions);
    const index = await app.inject({ url: "/dashboard/", headers });
    assert.equal(index.body, dashboardPage);
    assert.equal(index.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(index.headers["cache-control"], "no-cache");
    const script = await app.inject({ url: "/dashboard/assets/index-3f2a.js", headers });
    assert.equal(script.body, "console.log('dashboard');\n");
    assert.equal(script.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(script.headers["cache-control"], "public, max-age=31536000, immutable");
    const bare = await app.inject({ url: "/dashboard" });
    assert.equal(bare.statusCode, 308);
    assert.equal(bare.headers["location"], "/dashboard/");
  });

  it("keeps its page on plain http: no upgrade of its scripts to https", async () => {
    const { app, sessions } = await dashboardServer();
    const headers = await signIn(app, sessions);
    const csp = String(
      (await app.inject({ url: "/dashboard/", headers })).headers["content-security-policy"],
    );
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
  });

  it("serves nothing outside its directory", async () => {
    const { app, sessions } = await dashboardServer();
    const headers = await signIn(app, sessions);
    for (const url of [
      "/dashboard/../package.json",
      "/dashboard/%2e%2e/package.json",
      "/dashboard/assets/%2e%2e%2f%2e%2e%2fpackage.json",
      "/dashboard/assets",
      "/dashboard/missing.js",
    ]) {
      const response = await app.inject({ url, headers });
      assert.equal(response.statusCode, 404, url);
    }
    assert.deepEqual(
      (await app.inject({ url: "/dashboard/missing.js", headers })).json<{ error: unknown }>()
        .error,
      { code: "NOT_FOUND", message: "No file /dashboard/missing.js in the dashboard." },
    );
  });

  it("says to build it when dist/dashboard/ has not been built", async () => {
    const clock = shiftedClock();
    const sessions = new Sessions(clock);
    const app = await serverFor({}, { clock, sessions });
    opened.push(app);
    const response = await app.inject({ url: "/dashboard/", headers: await signIn(app, sessions) });
    assert.equal(response.statusCode, 503);
    assert.match(
      response.body,
      /<p>The dashboard has not been built: run `npm run build` in the parex checkout \(it writes dist\/dashboard\/\), then reload this page.<\/p>/,
    );
  });
});
