import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { buildGraph, VirtualClock } from "../../src/core/index.js";
import type { Clock, RunSummary } from "../../src/core/index.js";
import { functionExecutor } from "../../src/exec/index.js";
import { Sessions } from "../../src/server/index.js";
import type { HistoricRun, RunHistory, ServerOptions } from "../../src/server/index.js";
import { runToEnd, serverFor, shiftedClock, signIn, startService, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

/** A history of `runs` (newest first), with the graphs of those in `graphs`. */
function historyOf(runs: HistoricRun[], graphs: Record<string, object> = {}): RunHistory {
  return {
    recent: (limit, status) =>
      runs.filter((run) => status === undefined || run.status === status).slice(0, limit),
    find: (id) => runs.find((run) => run.id.startsWith(id)),
    graph: (id) => graphs[id] as ReturnType<NonNullable<RunHistory["graph"]>>,
  };
}

/** A parex serve for the dashboard, and the cookie of a session on it. */
async function reader(more: Partial<ServerOptions> & { clock?: Clock } = {}) {
  const clock = more.clock ?? shiftedClock();
  const sessions = new Sessions(clock);
  const app = await serverFor({}, { ...more, clock, sessions });
  opened.push(app);
  const { cookie } = await signIn(app, sessions);
  const get = (url: string) => app.inject({ url, headers: { cookie } });
  return { app, get };
}

/** A summary as the history keeps one, with `tasks` as [id, status, attempts]. */
function summary(
  startedAt: string,
  status: RunSummary["status"],
  makespanMs: number,
  tasks: [string, "succeeded" | "failed", number][] = [],
): Partial<RunSummary> {
  return {
    startedAt,
    status,
    makespanMs,
    throughputPerSec: 4,
    efficiency: 0.5,
    complete: true,
    tasks: tasks.map(([id, taskStatus, attempts]) => ({
      id,
      status: taskStatus,
      attempts,
      fallbackUsed: false,
    })),
  };
}

const run = (id: string, startedAt: string, status: string, summed?: object): HistoricRun => ({
  id,
  startedAt: Date.parse(startedAt),
  status,
  summary: summed,
});

describe("the dashboard's reads", () => {
  it("lists the runs of one status, this server's and the history's", async () => {
    const history = historyOf([
      run("run_b", "2026-11-03T00:00:00Z", "failed"),
      run("run_a", "2026-11-02T00:00:00Z", "succeeded"),
    ]);
    const { app, get } = await reader({
      pipelines: {
        graphs: { ci: buildGraph([{ id: "x", run: () => Promise.reject(new Error("no")) }]) },
        executor: () => functionExecutor,
        history,
      },
    });
    const runId = await runToEnd(app);
    const failed = (await get("/api/v1/runs?status=failed")).json<{ runs: { runId: string }[] }>();
    assert.deepEqual(
      failed.runs.map((r) => r.runId),
      [runId, "run_b"],
    );
    const succeeded = (await get("/api/v1/runs?status=succeeded")).json<{
      runs: { runId: string }[];
    }>();
    assert.deepEqual(
      succeeded.runs.map((r) => r.runId),
      ["run_a"],
    );
    const wrong = await get("/api/v1/runs?status=done");
    assert.equal(wrong.statusCode, 400);
    assert.equal(
      wrong.json<{ error: { message: string } }>().error.message,
      "Invalid querystring: status must be equal to one of the allowed values.",
    );
  });

  it("gives a run's task graph: a live run's from memory, a past run's from the history", async () => {
    const graph = { concurrency: 2, tasks: [{ id: "a", dependsOn: [], estimateMs: 20 }] };
    const history = historyOf(
      [
        run("run_new", "2026-11-03T00:00:00Z", "succeeded"),
        run("run_old", "2026-11-02T00:00:00Z", "succeeded"),
      ],
      { run_new: graph },
    );
    const { app, get } = await reader({
      pipelines: {
        graphs: {
          ci: buildGraph([
            { id: "build", run: () => 1, group: "build" },
            { id: "test", run: () => 2, dependsOn: ["build"] },
          ]),
        },
        executor: () => functionExecutor,
        history,
        concurrency: 3,
      },
    });
    const started = await app.inject({
      method: "POST",
      url: "/api/v1/runs",
      headers: { authorization: `Bearer ${await token()}` },
      payload: { pipeline: "ci" },
    });
    const { runId } = started.json<{ runId: string }>();
    assert.deepEqual((await get(`/api/v1/runs/${runId}/graph`)).json(), {
      runId,
      concurrency: 3,
      tasks: [
        { id: "build", dependsOn: [], group: "build" },
        { id: "test", dependsOn: ["build"] },
      ],
    });
    assert.deepEqual((await get("/api/v1/runs/run_ne/graph")).json(), {
      runId: "run_new",
      ...graph,
    });
    const old = await get("/api/v1/runs/run_old/graph");
    assert.equal(old.statusCode, 404);
    assert.deepEqual(old.json<{ error: unknown }>().error, {
      code: "GRAPH_UNKNOWN",
      message:
        "Run run_old has no task graph: it was recorded before parex kept graphs in its history. Its summary (GET /api/v1/runs/run_old) lists its tasks.",
    });
    const unknown = await get("/api/v1/runs/run_zzz/graph");
    assert.deepEqual(unknown.json<{ error: unknown }>().error, {
      code: "RUN_NOT_FOUND",
      message: 'No run "run_zzz" on this server or in its history. GET /api/v1/runs lists them.',
    });
  });

  it("gives a task attempt's log as text, the last attempt's unless one is asked for", async () => {
    const asked: unknown[] = [];
    const { get } = await reader({
      pipelines: {
        graphs: {},
        executor: () => functionExecutor,
        history: historyOf([run("run_l", "2026-11-02T00:00:00Z", "failed")]),
      },
      taskLogs: (runId, taskId, attempt) => {
        asked.push([runId, taskId, attempt]);
        return taskId === "pkg#build" ? { attempt: attempt ?? 2, text: "out\nerr\n" } : undefined;
      },
    });
    const last = await get("/api/v1/runs/run_l/tasks/pkg%23build/log");
    assert.equal(last.statusCode, 200);
    assert.equal(last.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(last.headers["x-parex-attempt"], "2");
    assert.equal(last.body, "out\nerr\n");
    const first = await get("/api/v1/runs/run_l/tasks/pkg%23build/log?attempt=1");
    assert.equal(first.headers["x-parex-attempt"], "1");
    assert.deepEqual(asked, [
      ["run_l", "pkg#build", undefined],
      ["run_l", "pkg#build", 1],
    ]);
    const none = await get("/api/v1/runs/run_l/tasks/lint/log?attempt=3");
    assert.equal(none.statusCode, 404);
    assert.deepEqual(none.json<{ error: unknown }>().error, {
      code: "LOG_UNKNOWN",
      message:
        'No log of task "lint" attempt 3 in run run_l: the task printed nothing, or the run kept no logs (parex run --no-history).',
    });
  });

  it("gives the history's trends by day or week over the last N days, with its flaky tasks; no efficiency of a day whose runs all stopped early", async () => {
    const history = historyOf([
      run(
        "run_4",
        "2026-11-19T10:00:00Z",
        "succeeded",
        summary("2026-11-19T10:00:00.000Z", "succeeded", 100, [["e2e", "succeeded", 2]]),
      ),
      run("run_3", "2026-11-18T12:00:00Z", "interrupted"),
      run(
        "run_2",
        "2026-11-18T10:00:00Z",
        "failed",
        // It stopped early: its 86 % is of what ran, not a figure of the day.
        {
          ...summary("2026-11-18T10:00:00.000Z", "failed", 300, [["e2e", "failed", 1]]),
          efficiency: 0.86,
          complete: false,
        },
      ),
      run(
        "run_1",
        "2026-11-01T10:00:00Z",
        "succeeded",
        summary("2026-11-01T10:00:00.000Z", "succeeded", 50),
      ),
    ]);
    const clock = new VirtualClock(Date.parse("2026-11-20T00:00:00Z"));
    const { get } = await reader({
      clock,
      pipelines: { graphs: {}, executor: () => functionExecutor, history },
    });
    const days = (await get("/api/v1/stats?by=day&days=7")).json<unknown>();
    assert.deepEqual(days, {
      periods: [
        {
          start: "2026-11-19",
          runs: 1,
          failed: 0,
          failureRate: 0,
          makespanMs: { mean: 100, p50: 100, p95: 100, p99: 100 },
          throughputPerSec: 4,
          efficiency: 0.5,
          interrupted: 0,
        },
        {
          start: "2026-11-18",
          runs: 1,
          failed: 1,
          failureRate: 1,
          makespanMs: { mean: 300, p50: 300, p95: 300, p99: 300 },
          throughputPerSec: 4,
          efficiency: null,
          interrupted: 1,
        },
      ],
      flaky: [{ id: "e2e", runs: 2, failures: 2, flips: 1 }],
    });
    const weeks = (await get("/api/v1/stats")).json<{
      periods: { start: string; runs: number }[];
    }>();
    assert.deepEqual(
      weeks.periods.map((p) => [p.start, p.runs]),
      [
        ["2026-11-16", 2],
        ["2026-10-26", 1],
      ],
    );
    assert.equal((await get("/api/v1/stats?days=0")).statusCode, 400);
  });

  it("samples the machine's CPUs and memory and its own memory when asked", async () => {
    const { get } = await reader();
    const system = (await get("/api/v1/system")).json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(system), ["cpus", "loadAvg", "cpuBusy", "memory", "rssBytes"]);
    const memory = system["memory"] as { totalBytes: number; freeBytes: number };
    assert.ok(Number.isInteger(system["cpus"]) && (system["cpus"] as number) >= 1);
    assert.equal((system["loadAvg"] as number[]).length, 3);
    const busy = system["cpuBusy"] as number;
    assert.ok(busy >= 0 && busy <= 1, String(busy));
    assert.ok(memory.freeBytes > 0 && memory.freeBytes <= memory.totalBytes);
    assert.ok((system["rssBytes"] as number) > 0);
  });

  it("counts each service's calls and errors, and names its breaker's state", async () => {
    const down = await startService(() => ({ status: 500 }));
    opened.push(down);
    const clock = shiftedClock();
    const sessions = new Sessions(clock);
    const server = await serverFor(
      { down: { url: down.url, breaker: { failureThreshold: 1 } } },
      { clock, sessions },
    );
    opened.push(server);
    await server.inject({
      method: "POST",
      url: "/api/v1/orchestrate",
      headers: { authorization: `Bearer ${await token()}` },
      payload: { services: ["down"] },
    });
    const { cookie } = await signIn(server, sessions);
    const [service] = (await server.inject({ url: "/api/v1/services", headers: { cookie } })).json<{
      services: Record<string, unknown>[];
    }>().services;
    assert.deepEqual(
      [service?.["calls"], service?.["errors"], service?.["errorRate"], service?.["breaker"]],
      [1, 1, 1, "open"],
    );
  });
});
