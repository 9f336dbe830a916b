import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { RunEvent, RunSummary } from "../../src/core/index.js";
import { systemClock } from "../../src/exec/index.js";
import { createLocalServer, Sessions } from "../../src/server/index.js";
import type { HistoricRun, LocalServerOptions, RunHistory } from "../../src/server/index.js";
import { dashboardBuild, signIn, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

async function local(more: Partial<LocalServerOptions> = {}) {
  const sessions = new Sessions(systemClock);
  const server = await createLocalServer({
    clock: systemClock,
    sessions,
    dashboardDir: dashboardBuild(),
    ...more,
  });
  opened.push(server.app);
  return { ...server, sessions };
}

const graph = { concurrency: 1, tasks: [{ id: "build", dependsOn: [], estimateMs: 40 }] };
const runId = "run_local";
const t0 = Date.parse("2026-11-20T10:00:00Z");
const events: RunEvent[] = [
  { runId, type: "run.started", time: t0, tasks: ["build"], concurrency: 1, strategy: "all" },
  { runId, type: "task.started", time: t0 + 1, taskId: "build", attempt: 1, slot: 0 },
  {
    runId,
    type: "task.output",
    time: t0 + 2,
    taskId: "build",
    attempt: 1,
    stream: "stdout",
    chunk: "built\n",
  },
];

const noSession =
  "This local server takes no tokens, only the dashboard's session. Open the login link parex printed as it started (parex: dashboard: http://127.0.0.1:…/login?ticket=…); for a new one, start `parex ui` again.";

describe("the local dashboard server (parex run --dashboard, parex ui)", () => {
  it("answers only people signed in with its login link: it takes no JWT", async () => {
    const { app, sessions } = await local();
    for (const headers of [{}, { authorization: `Bearer ${await token()}` }]) {
      const refused = await app.inject({ url: "/api/v1/runs", headers });
      assert.equal(refused.statusCode, 401);
      assert.deepEqual(refused.json<{ error: unknown }>().error, {
        code: "AUTH_NO_SESSION",
        message: noSession,
      });
    }
    const page = await app.inject({ url: "/dashboard/" });
    assert.equal(page.statusCode, 401);
    assert.match(page.body, /for a new one, start `parex ui` again/);
    const headers = await signIn(app, sessions);
    assert.deepEqual((await app.inject({ url: "/api/v1/runs", headers })).json(), { runs: [] });
  });

  it("has nothing that starts a run, calls a service, or describes the server", async () => {
    const { app, sessions } = await local();
    const headers = await signIn(app, sessions);
    const absent = [
      ["POST", "/api/v1/runs"],
      ["POST", "/api/v1/orchestrate"],
      ["POST", "/api/v1/dashboard/login"],
      ["GET", "/api/v1/services"],
      ["GET", "/metrics"],
      ["GET", "/docs/json"],
    ] as const;
    for (const [method, url] of absent) {
      const response = await app.inject({ method, url, headers, payload: {} });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
    }
  });

  it("shows a run of this process live: listed as running, its events streamed, its summary once it ended", async () => {
    const { app, sessions, follow } = await local();
    const headers = await signIn(app, sessions);
    const followed = follow(runId, graph);
    for (const event of events) followed.listener(event);
    const listed = (await app.inject({ url: "/api/v1/runs", headers })).json<{
      runs: { runId: string; status: string; startedAt: string }[];
    }>();
    assert.deepEqual(listed.runs, [
      { runId, status: "running", startedAt: listed.runs[0]?.startedAt },
    ]);
    assert.deepEqual((await app.inject({ url: `/api/v1/runs/${runId}/graph`, headers })).json(), {
      runId,
      ...graph,
    });
    const streamed = app.inject({ url: `/api/v1/runs/${runId}/events`, headers });
    followed.listener({ runId, type: "run.finished", time: t0 + 50, status: "succeeded" });
    const summary = { runId, status: "succeeded", makespanMs: 50 } as RunSummary;
    followed.end(summary);
    const stream = (await streamed).body;
    assert.deepEqual(
      [...stream.matchAll(/^event: (.+)$/gm)].map((m) => m[1]),
      ["run.started", "task.started", "task.output", "run.finished"],
    );
    assert.match(stream, /^data: .*"chunk":"built\\n"/m);
    const shown = (await app.inject({ url: `/api/v1/runs/${runId}`, headers })).json<{
      status: string;
      summary: unknown;
    }>();
    assert.deepEqual([shown.status, shown.summary], ["succeeded", summary]);
    const ended = (await app.inject({ url: "/api/v1/runs", headers })).json<{
      runs: { runId: string; status: string; startedAt: string; finishedAt?: string }[];
    }>();
    assert.deepEqual(
      ended.runs,
      [
        {
          runId,
          status: "succeeded",
          startedAt: listed.runs[0]?.startedAt,
          finishedAt: "2026-11-20T10:00:00.050Z",
        },
      ],
      "it ended when its run.finished says",
    );
    followed.update({ ...summary, alerts: [] });
    const updated = (await app.inject({ url: `/api/v1/runs/${runId}`, headers })).json<{
      summary: unknown;
    }>();
    assert.deepEqual(updated.summary, { ...summary, alerts: [] });
  });

  it("brings its history up to date before each signed-in request reads it", async () => {
    const runs: HistoricRun[] = [];
    let refreshes = 0;
    const history: RunHistory = {
      recent: () => runs,
      find: (id) => runs.find((run) => run.id === id),
      // As a history created after the server started: the run is there once refreshed.
      refresh: async () => {
        refreshes++;
        await Promise.resolve();
        runs.splice(0, 1, { id: "run_later", startedAt: t0, status: "succeeded", summary: {} });
      },
    };
    const { app, sessions } = await local({ history });
    assert.equal((await app.inject({ url: "/api/v1/runs" })).statusCode, 401);
    assert.equal(refreshes, 0, "not for a request without a session");
    const headers = await signIn(app, sessions);
    const listed = (await app.inject({ url: "/api/v1/runs", headers })).json<{
      runs: { runId: string }[];
    }>();
    assert.deepEqual(
      listed.runs.map((r) => r.runId),
      ["run_later"],
    );
  });

  it("listens on 127.0.0.1 only, under a cookie named after its port", async () => {
    const { listen, sessions } = await local();
    const url = await listen(0);
    const port = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(url)?.[1];
    assert.ok(port !== undefined, url);
    const login = await fetch(`${url}/login?ticket=${sessions.ticket().ticket}`, {
      redirect: "manual",
    });
    const cookie = String(login.headers.get("set-cookie"));
    assert.match(
      cookie,
      new RegExp(`^parex_session_${port}=[\\w-]{43}; HttpOnly; SameSite=Strict`),
    );
    const page = await fetch(`${url}/dashboard/`, {
      headers: { cookie: cookie.slice(0, cookie.indexOf(";")) },
    });
    assert.equal(page.status, 200);
  });
});
