import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { freePort } from "../../src/testing/index.js";
import { secret } from "../server/helpers.js";
import { bin, killStarted, linkPattern, parex, waitsFor } from "./parex-process.js";

function project(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-dashboard-e2e-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  return dir;
}

after(killStarted);

/** Follows a login link as a browser would, without following the redirect: the cookie it sets. */
async function logIn(link: string): Promise<{ cookie: string; response: Response }> {
  const response = await fetch(link, { redirect: "manual" });
  const setCookie = response.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.slice(0, setCookie.indexOf(";")), response };
}

describe("the dashboard from the command line (end to end)", () => {
  it("parex run --dashboard serves the live run, its events over SSE, and stops when the run ends", async () => {
    const dir = project({
      tasks: { build: waitsFor("go"), test: { run: "echo tested", dependsOn: ["build"] } },
    });
    const chosen = await freePort();
    const run = parex(dir, ["run", "--dashboard", String(chosen), "-j", "2"]);
    const [line, base = "", port = ""] = await run.said(linkPattern);
    assert.equal(port, String(chosen), "--dashboard PORT");
    const link = line.slice("parex: dashboard: ".length);
    const { cookie, response } = await logIn(link);
    assert.equal(response.status, 303);
    assert.match(cookie, new RegExp(`^parex_session_${port}=[\\w-]{43}$`));
    const headers = { cookie };

    const listed = (await (await fetch(`${base}/api/v1/runs`, { headers })).json()) as {
      runs: { runId: string; status: string }[];
    };
    const [live] = listed.runs;
    assert.equal(live?.status, "running");
    const runId = live.runId;
    const graph = await (await fetch(`${base}/api/v1/runs/${runId}/graph`, { headers })).json();
    assert.deepEqual(graph, {
      runId,
      concurrency: 2,
      tasks: [
        { id: "build", dependsOn: [] },
        { id: "test", dependsOn: ["build"] },
      ],
    });

    const events = await fetch(`${base}/api/v1/runs/${runId}/events`, { headers });
    assert.equal(events.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = (events.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let stream = "";
    while (!stream.includes('"chunk":"waiting\\n"')) {
      const { value, done } = await reader.read();
      assert.ok(!done, `the stream ended before the task printed:\n${stream}`);
      stream += value;
    }
    assert.doesNotMatch(stream, /event: run\.finished/, "the run is still going");
    writeFileSync(join(dir, "go"), "");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stream += value;
    }
    const ends = [...stream.matchAll(/^event: (.+)\ndata: (.+)$/gm)].flatMap(([, type, data]) => {
      const event = JSON.parse(data ?? "{}") as { taskId?: string; status?: string };
      return type === "task.finished" || type === "run.finished"
        ? [`${type} ${event.taskId ?? event.status ?? ""}`]
        : [];
    });
    assert.deepEqual(ends, ["task.finished build", "task.finished test", "run.finished succeeded"]);

    assert.equal(await run.exited, 0, run.output().stderr);
    await assert.rejects(fetch(`${base}/api/v1/runs`, { headers }), "the server has stopped");
    assert.match(run.output().stdout, /test +│ tested/);
  });

  it("parex run --dashboard-keep, a project's first run: once it ended, the history has it", async () => {
    const dir = project({ tasks: { build: "echo built" } });
    const run = parex(dir, ["run", "--dashboard-keep", "--json"]);
    const [line, base = ""] = await run.said(linkPattern);
    const { cookie } = await logIn(line.slice("parex: dashboard: ".length));
    await run.said(/^parex: dashboard: still at /m);
    const { runId } = JSON.parse(run.output().stdout) as { runId: string };
    const get = async (path: string): Promise<unknown> =>
      (await fetch(`${base}${path}`, { headers: { cookie } })).json();
    const listed = (await get("/api/v1/runs")) as { runs: { runId: string; status: string }[] };
    assert.deepEqual(
      listed.runs.map((r) => [r.runId, r.status]),
      [[runId, "succeeded"]],
      "listed once",
    );
    const stats = (await get("/api/v1/stats")) as { periods: { runs: number }[] };
    assert.deepEqual(
      stats.periods.map((p) => p.runs),
      [1],
      "the trends count it",
    );
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });

  it("parex ui lists the history, shows a past run's graph and logs, and takes each login link once", async () => {
    const dir = project({
      tasks: { hello: "echo hello; echo oops >&2", after: { run: "true", dependsOn: ["hello"] } },
    });
    const first = spawnSync(process.execPath, [bin, "run", "--json"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(first.status, 0, first.stderr);
    const { runId } = JSON.parse(first.stdout) as { runId: string };
    assert.ok(!existsSync(join(dir, ".parex", "layouts")), "a small graph is laid out in the page");

    const ui = parex(dir, ["ui"]);
    const [line, base = ""] = await ui.said(linkPattern);
    const link = line.slice("parex: dashboard: ".length);
    await ui.said(/^parex ui: serving http:\/\/127\.0\.0\.1:\d+\/dashboard\/ \(Ctrl-C to stop\)$/m);
    const { cookie } = await logIn(link);
    const again = await fetch(link, { redirect: "manual" });
    assert.equal(again.status, 401);
    assert.equal(
      await again.text(),
      "This login link is unknown, used or expired: a link works once, within 5 minutes of being made. Open the login link parex printed as it started (parex: dashboard: http://127.0.0.1:…/login?ticket=…); for a new one, start `parex ui` again.\n",
    );
    const headers = { cookie };
    const runs = (await (await fetch(`${base}/api/v1/runs`, { headers })).json()) as {
      runs: { runId: string; status: string }[];
    };
    assert.deepEqual(
      runs.runs.map((r) => [r.runId, r.status]),
      [[runId, "succeeded"]],
    );
    const graph = (await (
      await fetch(`${base}/api/v1/runs/${runId}/graph`, { headers })
    ).json()) as {
      tasks: { id: string; dependsOn: string[] }[];
    };
    assert.deepEqual(
      graph.tasks.map((t) => [t.id, t.dependsOn]),
      [
        ["hello", []],
        ["after", ["hello"]],
      ],
    );
    const log = await fetch(`${base}/api/v1/runs/${runId}/tasks/hello/log`, { headers });
    assert.equal(log.headers.get("x-parex-attempt"), "1");
    assert.deepEqual((await log.text()).split("\n").sort(), ["", "hello", "oops"]);
    assert.equal((await fetch(`${base}/api/v1/runs`)).status, 401, "nothing without the cookie");

    ui.child.kill("SIGINT");
    assert.equal(await ui.exited, 0);
    assert.match(ui.output().stderr, /^parex ui: stopped$/m);
  });

  it("a large graph is laid out by its first run, reused by the next, and served with it", async () => {
    const tasks = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [
        `t${i}`,
        { run: "true", ...(i < 12 ? {} : { dependsOn: [`t${i - 12}`] }) },
      ]),
    );
    const dir = project({ concurrency: 8, tasks });
    const runOnce = (...more: string[]): string => {
      const run = spawnSync(process.execPath, [bin, "run", "--json", "--output", "none", ...more], {
        cwd: dir,
        encoding: "utf8",
      });
      assert.equal(run.status, 0, run.stderr);
      return (JSON.parse(run.stdout) as { runId: string }).runId;
    };
    const layouts = join(dir, ".parex", "layouts");
    const first = runOnce("--report", "report.html");
    assert.ok(existsSync(join(dir, ".parex", ".gitignore")), "the layout's .parex ignores itself");
    const [file, ...more] = readdirSync(layouts);
    assert.ok(file !== undefined && more.length === 0, "one layout");
    const kept = JSON.parse(readFileSync(join(layouts, file), "utf8")) as {
      nodes: { id: string }[];
      edges: unknown[];
    };
    assert.deepEqual(
      kept.nodes.map((n) => n.id),
      Object.keys(tasks),
    );
    assert.equal(kept.edges.length, 108);
    const report = readFileSync(join(dir, "report.html"), "utf8");
    const embedded = /<script type="application\/json" id="parex-report">(.*?)<\/script>/s.exec(
      report,
    );
    assert.deepEqual(
      (JSON.parse(embedded?.[1] ?? "{}") as { graph?: { layout?: unknown } }).graph?.layout,
      kept,
      "the report of the run that laid the graph out holds its layout",
    );
    const written = statSync(join(layouts, file)).ino; // a file written again is renamed into place
    const second = runOnce();
    assert.deepEqual(readdirSync(layouts), [file]);
    assert.equal(statSync(join(layouts, file)).ino, written, "not laid out again");

    rmSync(layouts, { recursive: true }); // as after a parex that kept no layouts
    const ui = parex(dir, ["ui"]);
    const [line, base = ""] = await ui.said(linkPattern);
    const { cookie } = await logIn(line.slice("parex: dashboard: ".length));
    const graphOf = async (runId: string) =>
      (await (
        await fetch(`${base}/api/v1/runs/${runId}/graph`, { headers: { cookie } })
      ).json()) as { layout?: unknown };
    assert.equal((await graphOf(first)).layout, undefined, "the page lays this one out");
    let served: unknown;
    for (let tries = 0; served === undefined && tries < 600; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = (await graphOf(second)).layout; // the same graph: laid out after the first ask
    }
    assert.deepEqual(served, kept);
    ui.child.kill("SIGINT");
    assert.equal(await ui.exited, 0);
  });

  it("parex ui started before a project's first run lists the runs recorded after it started", async () => {
    const dir = project({ tasks: { build: "echo built" } });
    const ui = parex(dir, ["ui"]);
    const [line, base = ""] = await ui.said(linkPattern);
    const { cookie } = await logIn(line.slice("parex: dashboard: ".length));
    const get = async (path: string): Promise<unknown> =>
      (await fetch(`${base}${path}`, { headers: { cookie } })).json();
    assert.deepEqual(await get("/api/v1/runs"), { runs: [] }, "no history yet");
    assert.ok(!existsSync(join(dir, ".parex")), "reading created nothing");

    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = spawnSync(process.execPath, [bin, "run", "--json", "--output", "none"], {
        cwd: dir,
        encoding: "utf8",
      });
      assert.equal(run.status, 0, run.stderr);
      ids.unshift((JSON.parse(run.stdout) as { runId: string }).runId);
      const listed = (await get("/api/v1/runs")) as { runs: { runId: string; status: string }[] };
      assert.deepEqual(
        listed.runs.map((r) => [r.runId, r.status]),
        ids.map((id) => [id, "succeeded"]),
        `after run ${i + 1}`,
      );
    }
    const stats = (await get("/api/v1/stats")) as { periods: { runs: number }[] };
    assert.deepEqual(
      stats.periods.map((p) => p.runs),
      [2],
      "the trends count them",
    );
    ui.child.kill("SIGINT");
    assert.equal(await ui.exited, 0);
  });

  it("parex serve prints a login link to its dashboard as it starts", async () => {
    const dir = project({ tasks: { a: "true" }, server: {} });
    const serve = parex(dir, ["serve", "--port", "0"], {
      ...process.env,
      PAREX_JWT_SECRET: secret,
    });
    const [, link = ""] = await serve.said(
      /^parex serve: dashboard: (http:\/\/\S+\/login\?ticket=[\w-]{43})$/m,
    );
    const { cookie, response } = await logIn(link);
    assert.equal(response.headers.get("location"), "/dashboard/");
    assert.match(cookie, /^parex_session=[\w-]{43}$/);
    const base = link.slice(0, link.indexOf("/login"));
    const runs = await fetch(`${base}/api/v1/runs`, { headers: { cookie } });
    assert.equal(runs.status, 200);
    serve.child.kill("SIGTERM");
    assert.equal(await serve.exited, 0);
  });
});
