// The dashboard following a live run: real processes, their events streamed as they happen.
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import {
  analyze,
  buildGraph,
  insight,
  newRunId,
  runGraph,
  summarize,
} from "../../src/core/index.js";
import type { Command, RunSummary, TaskSpec } from "../../src/core/index.js";
import { processExecutor, systemClock } from "../../src/exec/index.js";
import type { DashboardServer, StubRun } from "../../src/testing/index.js";
import { Gate, screenshotPath } from "./dashboard-fixtures.js";
import { countsOf, gantt, shownCounts, statusesIn, taskGraph } from "./dashboard-page.js";
import type { CliRuns } from "./dashboard-fixtures.js";

/**
 * Runs `fetch` and `compile` on 2 slots, `bundle` after `fetch`, `check` after `compile`; the
 * test ends each task through the gate, and checks the page at each step: `fetch` succeeds,
 * `compile` fails, which cancels `bundle` while it runs and skips `check`.
 */
export async function followLiveRun(options: {
  readonly browser: Browser;
  readonly server: DashboardServer;
  readonly project: CliRuns;
}): Promise<void> {
  const { browser, server, project } = options;
  const gate = new Gate();
  const port = await gate.listen();
  const task = (id: string, dependsOn: string[] = []): TaskSpec<Command> => ({
    id,
    run: { command: gate.command(port, id) },
    dependsOn,
  });
  const specs = [
    task("fetch"),
    task("compile"),
    task("bundle", ["fetch"]),
    task("check", ["compile"]),
  ];
  const graph = buildGraph(specs);
  const runId = newRunId(Date.now());
  const entry: StubRun = {
    info: { runId, status: "running", startedAt: new Date().toISOString() },
    graph: {
      runId,
      concurrency: 2,
      tasks: specs.map((s) => ({ id: s.id, dependsOn: s.dependsOn })),
    },
  };
  project.runs.unshift(entry);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  try {
    const done = runGraph(graph, {
      executor: processExecutor({ runId }),
      clock: systemClock,
      concurrency: 2,
      runId,
      listeners: [(event) => server.publish(runId, event)],
    }).then((run): RunSummary => {
      const analysis = analyze(graph, run);
      const summary = summarize(run, analysis, insight(graph, run, analysis));
      entry.info = { ...entry.info, status: run.status, summary };
      server.endStream(runId);
      return summary;
    });
    await Promise.all([gate.reached("fetch"), gate.reached("compile")]);
    await page.goto(`${server.url}/dashboard/#/`);
    await page.locator(`${gantt} [data-task='compile'][data-status='running']`).waitFor();
    assert.match(page.url(), new RegExp(`#/runs/${runId}$`), "the home page opens the live run");
    assert.deepEqual(await statusesIn(page, gantt), { fetch: "running", compile: "running" });
    await page.waitForFunction(
      `document.querySelector("[data-count='waiting']")?.textContent === "2"`,
    );
    assert.equal(await page.locator("[data-count='running']").textContent(), "2");
    await page.getByRole("heading", { name: "Runner: CPU and memory" }).waitFor();
    await page.locator(`${gantt} [data-task='fetch']`).click();
    await page.locator("pre[data-log='live']", { hasText: "hello from fetch" }).waitFor();
    await page.screenshot({ path: screenshotPath("dashboard-live.png") });
    await page.keyboard.press("Escape");

    gate.release("fetch", 0);
    await gate.reached("bundle");
    await page.locator(`${gantt} [data-task='bundle'][data-status='running']`).waitFor();
    assert.equal(
      await page.locator(`${gantt} [data-task='fetch']`).getAttribute("data-status"),
      "succeeded",
    );
    await page.locator(`${taskGraph} [data-task='bundle'][data-status='running']`).waitFor();
    assert.deepEqual(
      await statusesIn(page, taskGraph),
      { fetch: "succeeded", compile: "running", bundle: "running", check: "waiting" },
      "the graph's nodes follow the run live",
    );
    // Seed 001's panels while it runs: over the tasks ended so far (figured once a second).
    const soFar = page.locator("[data-panels='so-far']");
    await soFar.getByRole("heading", { name: "Parallel efficiency so far" }).waitFor();
    await soFar.locator("[data-figure='ended-so-far']", { hasText: /^1$/ }).waitFor();
    await soFar.getByRole("heading", { name: "Throughput: tasks per second" }).waitFor();
    assert.equal(
      await soFar.locator("[data-group='other'] td.num").textContent(),
      "1",
      "fetch, in the groups panel",
    );
    await soFar.screenshot({ path: screenshotPath("dashboard-live-panels.png") });

    gate.release("compile", 1);
    const summary = await done;
    await page.locator("[data-run-status='failed']").waitFor();
    await page.getByRole("heading", { name: "Bottlenecks" }).waitFor();
    assert.equal(await soFar.count(), 0, "the summary's panels in their place");
    assert.deepEqual(
      await statusesIn(page, gantt),
      Object.fromEntries(
        summary.tasks.filter((t) => t.startMs !== undefined).map((t) => [t.id, t.status]),
      ),
    );
    assert.deepEqual(Object.fromEntries(summary.tasks.map((t) => [t.id, t.status])), {
      fetch: "succeeded",
      compile: "failed",
      bundle: "cancelled",
      check: "skipped",
    });
    assert.deepEqual(await shownCounts(page), countsOf(summary));
    await page.screenshot({ path: screenshotPath("dashboard-live-ended.png"), fullPage: true });
    assert.deepEqual(
      requests.filter((url) => !url.startsWith(`${server.url}/`)),
      [],
      "nothing leaves 127.0.0.1",
    );
  } finally {
    await page.close();
    gate.close();
  }
}
