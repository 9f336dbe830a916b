import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildGraph } from "../../src/core/index.js";
import type { RunEvent, RunSummary, TaskSpec } from "../../src/core/index.js";
import { functionExecutor } from "../../src/exec/index.js";
import type { TaskFunction } from "../../src/exec/index.js";
import type { RunHistory, ServerOptions } from "../../src/server/index.js";
import { serverFor, shiftedClock, token } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

/** A task the test finishes when it wants: `release()` resolves it. */
function gate() {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  const run: TaskFunction = async ({ signal }) => {
    started();
    await Promise.race([
      done,
      new Promise((_, reject) => signal.addEventListener("abort", reject)),
    ]);
    return "done";
  };
  return { run, release, running };
}

async function pipelineServer(
  specs: TaskSpec<TaskFunction>[],
  more: Partial<ServerOptions> & { eventBuffer?: number } = {},
): Promise<FastifyInstance> {
  const { eventBuffer, ...rest } = more;
  const app = await serverFor(
    {},
    {
      pipelines: {
        graphs: { ci: buildGraph(specs) },
        executor: () => functionExecutor,
        ...(eventBuffer === undefined ? {} : { eventBuffer }),
      },
      ...rest,
    },
  );
  opened.push(app);
  return app;
}

async function api(
  app: FastifyInstance,
  method: "GET" | "POST",
  url: string,
  payload?: object,
  headers = {},
) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${await token()}`, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
}

interface Frame {
  id?: number;
  event: string;
  data: unknown;
}

function frames(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = Object.fromEntries(
        block
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      return {
        ...(fields["id"] === undefined ? {} : { id: Number(fields["id"]) }),
        event: fields["event"] ?? "message",
        data: JSON.parse(fields["data"] ?? "null") as unknown,
      };
    });
}

describe("runs of configured pipelines", () => {
  it("lists the history's runs after its own, and shows one with its summary", async () => {
    const earlier = {
      id: "run_old_cli",
      startedAt: Date.parse("2026-01-02T03:04:05Z"),
      status: "failed",
      summary: { tasks: [] },
    };
    const history: RunHistory = {
      recent: (limit) => [earlier].slice(0, limit),
      find: (id) => (earlier.id.startsWith(id) ? earlier : undefined),
    };
    const app = await serverFor(
      {},
      {
        pipelines: {
          graphs: { ci: buildGraph([{ id: "a", run: () => 1 }]) },
          executor: () => functionExecutor,
          history,
        },
      },
    );
    opened.push(app);
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    const listed = (await api(app, "GET", "/api/v1/runs")).json<{ runs: { runId: string }[] }>()
      .runs;
    assert.deepEqual(
      listed.map((r) => r.runId),
      [runId, "run_old_cli"],
    );
    const limited = (await api(app, "GET", "/api/v1/runs?limit=1")).json<{ runs: unknown[] }>()
      .runs;
    assert.equal(limited.length, 1);
    assert.deepEqual((await api(app, "GET", "/api/v1/runs/run_old")).json(), {
      runId: "run_old_cli",
      status: "failed",
      startedAt: "2026-01-02T03:04:05.000Z",
      summary: { tasks: [] },
    });
    assert.equal((await api(app, "GET", "/api/v1/runs?limit=1000")).statusCode, 400);
  });

  it("starts a pipeline (202), lists it, and shows its summary once it ended", async () => {
    const build = gate();
    const app = await pipelineServer([
      { id: "build", run: build.run },
      { id: "test", run: () => "tested", dependsOn: ["build"] },
    ]);
    const started = await api(app, "POST", "/api/v1/runs", { pipeline: "ci" });
    assert.equal(started.statusCode, 202);
    const { runId, status } = started.json<{ runId: string; status: string }>();
    assert.equal(status, "running");
    assert.equal(started.headers["location"], `/api/v1/runs/${runId}`);
    await build.running;
    const listed = (await api(app, "GET", "/api/v1/runs")).json<{
      runs: { runId: string; status: string }[];
    }>();
    assert.deepEqual(
      listed.runs.map((r) => [r.runId, r.status]),
      [[runId, "running"]],
    );

    build.release();
    const stream = await api(app, "GET", `/api/v1/runs/${runId}/events`);
    assert.equal(stream.headers["content-type"], "text/event-stream; charset=utf-8");
    const events = frames(stream.body);
    assert.deepEqual(
      events.map((f) => f.id),
      events.map((_f, i) => i + 1),
      "ids count up from 1",
    );
    assert.equal(events[0]?.event, "run.started");
    assert.equal(events.at(-1)?.event, "run.finished");
    const finished = events.at(-1)?.data as RunEvent;

    const shown = (await api(app, "GET", `/api/v1/runs/${runId}`)).json<{
      status: string;
      finishedAt: string;
      summary: RunSummary;
    }>();
    assert.equal(shown.status, "succeeded");
    assert.equal(shown.finishedAt, new Date(finished.time).toISOString(), "ended at run.finished");
    const ended = (await api(app, "GET", "/api/v1/runs")).json<{
      runs: { runId: string; finishedAt?: string }[];
    }>();
    assert.deepEqual(
      ended.runs.map((r) => [r.runId, r.finishedAt]),
      [[runId, shown.finishedAt]],
    );
    assert.deepEqual(
      shown.summary.tasks.map((t) => [t.id, t.status]),
      [
        ["build", "succeeded"],
        ["test", "succeeded"],
      ],
    );
  });

  it("refuses a run over maxPipelineRuns with 503 and Retry-After, and takes one once a run ended", async () => {
    const build = gate();
    const app = await pipelineServer([{ id: "build", run: build.run }], {
      admission: { maxPipelineRuns: 1, maxLoopDelayMs: 60_000 },
    });
    const first = await api(app, "POST", "/api/v1/runs", { pipeline: "ci" });
    assert.equal(first.statusCode, 202);
    const refused = await api(app, "POST", "/api/v1/runs", { pipeline: "ci" });
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.headers["retry-after"], "5");
    const { error } = refused.json<{ error: { code: string; message: string } }>();
    assert.equal(error.code, "OVERLOADED");
    assert.match(error.message, /at most 1 pipeline runs at once .* all are running/);
    const metrics = (await app.inject({ url: "/metrics" })).body;
    assert.match(metrics, /^parex_http_shed_total\{reason="runs-full"\} 1$/m);
    build.release();
    const { runId } = first.json<{ runId: string }>();
    await api(app, "GET", `/api/v1/runs/${runId}/events`); // the stream ends with the run
    for (;;) {
      const again = await api(app, "POST", "/api/v1/runs", { pipeline: "ci" });
      if (again.statusCode === 202) break;
      assert.equal(again.statusCode, 503, "only refused while the first is winding up");
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it("refuses a pipeline that is not configured, and a run that does not exist", async () => {
    const app = await pipelineServer([{ id: "build", run: () => 1 }]);
    const unknown = await api(app, "POST", "/api/v1/runs", { pipeline: "deploy" });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json<{ error: unknown }>().error, {
      code: "UNKNOWN_PIPELINE",
      message: 'No pipeline "deploy" is configured (configured: "ci").',
    });
    const missing = await api(app, "GET", "/api/v1/runs/run_nope");
    assert.equal(missing.json<{ error: { code: string } }>().error.code, "RUN_NOT_FOUND");
    const command = await api(app, "POST", "/api/v1/runs", { pipeline: "ci", run: "rm -rf /" });
    assert.equal(command.statusCode, 400, "a request never supplies a command");
  });

  it("resumes the event stream after Last-Event-ID, and says when events were dropped", async () => {
    const app = await pipelineServer(
      ["a", "b", "c"].map((id) => ({ id, run: () => id })),
      { eventBuffer: 4 },
    );
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    const all = frames((await api(app, "GET", `/api/v1/runs/${runId}/events`)).body);
    assert.equal(all[0]?.event, "gap", "the buffer kept only the last 4 events");
    const total = all.at(-1)?.id ?? 0;
    assert.deepEqual(
      all.slice(1).map((f) => f.id),
      [total - 3, total - 2, total - 1, total],
    );
    const resumed = frames(
      (
        await api(app, "GET", `/api/v1/runs/${runId}/events`, undefined, {
          "last-event-id": String(total - 2),
        })
      ).body,
    );
    assert.deepEqual(
      resumed.map((f) => f.id),
      [total - 1, total],
    );
    assert.equal((resumed.at(-1)?.data as RunEvent).type, "run.finished");
  });

  it("streams events live to a client over a real connection", async () => {
    const build = gate();
    const app = await pipelineServer([{ id: "build", run: build.run }]);
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    const response = await fetch(`${address}/api/v1/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: task.started")) text += (await reader.read()).value ?? "";
    assert.doesNotMatch(text, /run\.finished/, "the run is still going");
    build.release();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    assert.equal(frames(text).at(-1)?.event, "run.finished");
  });

  it("lets a ticket expire after its lifetime", async () => {
    const clock = shiftedClock();
    const app = await pipelineServer([{ id: "build", run: () => 1 }], {
      clock,
      ticketTtlMs: 5_000,
    });
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    const { ticket } = (await api(app, "POST", `/api/v1/runs/${runId}/ticket`)).json<{
      ticket: string;
    }>();
    clock.advance(5_000);
    const late = await app.inject({ url: `/api/v1/runs/${runId}/events?ticket=${ticket}` });
    assert.equal(late.json<{ error: { code: string } }>().error.code, "AUTH_BAD_TICKET");
  });

  it("opens the stream with a single-use ticket instead of a token", async () => {
    const app = await pipelineServer([{ id: "build", run: () => 1 }]);
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    const { ticket, expiresInSeconds } = (
      await api(app, "POST", `/api/v1/runs/${runId}/ticket`)
    ).json<{
      ticket: string;
      expiresInSeconds: number;
    }>();
    assert.equal(expiresInSeconds, 30);
    const url = `/api/v1/runs/${runId}/events?ticket=${ticket}`;
    assert.equal((await app.inject({ url })).statusCode, 200);
    const again = await app.inject({ url });
    assert.equal(again.statusCode, 401);
    assert.equal(again.json<{ error: { code: string } }>().error.code, "AUTH_BAD_TICKET");
    const bare = await app.inject({ url: `/api/v1/runs/${runId}/events` });
    assert.equal(bare.json<{ error: { code: string } }>().error.code, "AUTH_MISSING_TOKEN");
  });
});

/** Opens the run's event stream over a real connection; `rest()` reads it to its end. */
async function openStream(app: FastifyInstance, runId: string) {
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const response = await fetch(`${address}/api/v1/runs/${runId}/events`, {
    headers: { authorization: `Bearer ${await token()}` },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = (await reader.read()).value ?? "";
  return {
    rest: async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return frames(text);
        text += value;
      }
    },
  };
}

describe("shutting the server down", () => {
  it("cancels running pipelines under shutdown: cancel", async () => {
    const build = gate();
    const app = await pipelineServer([{ id: "build", run: build.run }], {
      shutdown: { runs: "cancel", graceMs: 0 },
    });
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    await build.running;
    const stream = await openStream(app, runId);
    await app.close();
    const finished = (await stream.rest()).at(-1)?.data as RunEvent;
    assert.equal(finished.type === "run.finished" && finished.status, "cancelled");
  });

  it("lets running pipelines finish under shutdown: finish", async () => {
    const build = gate();
    const app = await pipelineServer([{ id: "build", run: build.run }], {
      shutdown: { runs: "finish", graceMs: 10_000 },
    });
    const { runId } = (await api(app, "POST", "/api/v1/runs", { pipeline: "ci" })).json<{
      runId: string;
    }>();
    await build.running;
    const stream = await openStream(app, runId);
    const closing = app.close();
    build.release();
    await closing;
    const finished = (await stream.rest()).at(-1)?.data as RunEvent;
    assert.equal(finished.type === "run.finished" && finished.status, "succeeded");
  });
});
