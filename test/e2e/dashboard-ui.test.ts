import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { analyze, buildGraph, insight, runGraph, summarize } from "../../src/core/index.js";
import type { RunEvent, RunSummary } from "../../src/core/index.js";
import { systemClock } from "../../src/exec/index.js";
import { Latencies } from "../../src/server/latencies.js";
import { bytes, duration } from "../../src/dashboard/model/format.js";
import { startDashboardServer } from "../../src/testing/index.js";
import type { DashboardServer, StubRun } from "../../src/testing/index.js";
import { buildDashboard, cliRuns, screenshotPath } from "./dashboard-fixtures.js";
import type { CliRuns } from "./dashboard-fixtures.js";
import {
  assertRunShown,
  chromiumArgs,
  chromiumPath,
  gantt,
  taskGraph as graph,
} from "./dashboard-page.js";
import { followLiveRun } from "./dashboard-live.js";

/** A service's usage as the server's Latencies reports it after `calls` calls, `failed` failing. */
function usageOf(calls: number, failed: number) {
  const latencies = new Latencies(50);
  for (let i = 0; i < calls; i++) {
    const ok = i >= failed;
    const spans = [{ start: 1_000 * i, end: 1_000 * i + 10 * (i + 1) }];
    latencies.listener({
      type: "task.finished",
      taskId: "payments",
      time: 1_000 * i + 10 * (i + 1),
      task: { status: ok ? "succeeded" : "failed", spans, fallbackUsed: false },
    } as unknown as RunEvent);
  }
  return latencies.usage("payments", 1_000 * calls);
}

describe(
  "the dashboard in a real browser",
  {
    skip:
      !existsSync(chromiumPath) && "Debian's chromium is not installed (apt-get install chromium)",
  },
  () => {
    let assets: string;
    let project: CliRuns;
    let server: DashboardServer;
    let browser: Browser;

    before(async () => {
      assets = buildDashboard();
      project = cliRuns();
      server = await startDashboardServer(assets, {
        runs: project.runs,
        stats: project.stats,
        system: () => ({
          cpus: cpus().length,
          loadAvg: loadavg(),
          memory: { totalBytes: totalmem(), freeBytes: freemem() },
          rssBytes: process.memoryUsage().rss,
        }),
      });
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    });

    after(async () => {
      await browser.close();
      await server.close();
    });

    /** A page that records every request it makes. */
    async function open(hash: string, colorScheme: "light" | "dark" = "light") {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${server.url}/dashboard/${hash}`);
      return { page, requests, errors };
    }

    it("lists the runs, filters them by status, and opens one", async () => {
      const [latest, earlier] = project.runs.map((run) => run.info);
      const { page, errors } = await open("#/");
      await page.locator("table[data-runs='2']").waitFor();
      await page.selectOption("select", "succeeded");
      await page.locator("table[data-runs='1']").waitFor();
      assert.equal(await page.locator("[data-run]").getAttribute("data-run"), earlier?.runId);
      assert.match(page.url(), /#\/runs\?status=succeeded$/);
      await page.selectOption("select", "");
      await page.locator(`a[href='#/runs/${latest?.runId}']`).click();
      await page.locator("[data-run-status]").waitFor();
      assert.equal(
        await page.locator("[data-run-status]").getAttribute("data-run-status"),
        "failed",
      );
      assert.equal(
        await page.getByRole("link", { name: "Services" }).count(),
        0,
        "no services route: no link",
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("replays a finished run from its summary: bars, counters, graph, critical path, panels, logs", async () => {
      const run = project.runs[0]!;
      const summary = run.info.summary as RunSummary;
      const { page, requests, errors } = await open(`#/runs/${summary.runId}`);
      await assertRunShown(page, summary);
      assert.equal(
        await page.locator(`${gantt} [data-task='test']`).getAttribute("data-retried"),
        "true",
      );
      const test = summary.tasks.find((t) => t.id === "test")!;
      await page.locator(`${gantt} [data-task='test']`).hover();
      assert.equal(
        await page.locator(".tip[data-tip-task='test']").textContent(),
        [
          "test · succeeded",
          `${duration(test.startMs!)} → ${duration(test.endMs!)} (${duration(test.endMs! - test.startMs!)}), slot ${test.slot}`,
          "attempts: 2, 1 retry",
          // What the run measured: an attempt that ends before the sampler's first look (every
          // 100 ms) has no figures, one that used no whole CPU tick no CPU time.
          ...(test.cpuMs === undefined ? [] : [`CPU: ${duration(test.cpuMs)}`]),
          ...(test.peakRssBytes === undefined ? [] : [`peak memory: ${bytes(test.peakRssBytes)}`]),
        ].join("\n"),
        "the tooltip: times, attempts, and CPU and peak memory as measured",
      );
      await page.screenshot({ path: screenshotPath("dashboard-tooltip.png") });
      for (const heading of [
        "Throughput: tasks per second",
        "Parallel efficiency vs ideal",
        "Bottlenecks",
        "Per group: sequential vs parallel",
        "Quality gates and alerts",
        "Slot × group: busy time",
      ]) {
        assert.ok(
          await page.getByRole("heading", { name: heading }).isVisible(),
          `${heading} is shown`,
        );
      }
      await page.screenshot({ path: screenshotPath("dashboard-run.png"), fullPage: true });

      await page.locator(`${gantt} [data-task='test']`).focus();
      await page.keyboard.press("Enter");
      await page.locator("pre[data-log='file']").waitFor();
      assert.match(
        (await page.locator("pre[data-log='file']").textContent()) ?? "",
        /retry: 12 tests passed/,
      );
      await page.selectOption("aside.log select", "1");
      await page.locator("pre[data-log='file']", { hasText: "first try: 1 test failed" }).waitFor();
      await page.screenshot({ path: screenshotPath("dashboard-log.png") });
      await page.keyboard.press("Escape");
      assert.equal(await page.locator("aside.log").count(), 0, "Escape closes the log");

      await page.locator(`${graph} [data-task='publish']`).click();
      await page.locator("aside.log [data-log='error']").waitFor();
      assert.equal(
        await page.locator("aside.log [data-log='error']").textContent(),
        `No log of task "publish".`,
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(
        requests.filter((url) => !url.startsWith(`${server.url}/`)),
        [],
        "nothing leaves 127.0.0.1",
      );
      await page.close();
    });

    it("draws a graph where the runner laid it out, without laying it out again", async () => {
      const complete = project.runs[1]!;
      const summary = { ...(complete.info.summary as RunSummary), runId: "run_laid_out" };
      const tasks = (complete.graph as { tasks: { id: string; dependsOn: string[] }[] }).tasks;
      // Not where dagre would put them: one column, top to bottom, in declaration order.
      const nodes = tasks.map((t, i) => ({ id: t.id, x: 4, y: 4 + i * 40, width: 80, height: 24 }));
      const layout = { nodes, edges: [], width: 90, height: 8 + tasks.length * 40 };
      project.runs.push({
        info: { ...complete.info, runId: summary.runId, summary },
        graph: { runId: summary.runId, concurrency: summary.concurrency, tasks, layout },
      });
      const { page, errors } = await open(`#/runs/${summary.runId}`);
      try {
        await page.locator("[data-laid-out-by='runner'][data-layout-ms='0']").waitFor();
        for (const node of nodes) {
          assert.equal(
            await page.locator(`${graph} [data-task='${node.id}']`).getAttribute("transform"),
            `translate(${node.x.toFixed(1)} ${node.y.toFixed(1)})`,
          );
        }
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });

    it("draws the scalability curve of a complete run, and follows the system's dark mode", async () => {
      const summary = project.runs[1]!.info.summary as RunSummary;
      const { page, errors } = await open(`#/runs/${summary.runId}`, "dark");
      const chart = page.locator("[aria-label='Predicted makespan by number of slots']");
      await chart.waitFor();
      assert.equal(await chart.getAttribute("data-points"), String(summary.scalability?.length));
      assert.ok((summary.scalability?.length ?? 0) >= 2);
      const background = await page.evaluate<string>(
        "getComputedStyle(document.body).backgroundColor",
      );
      assert.equal(background, "rgb(22, 24, 27)");
      await page.locator(`${graph} [data-task]`).first().waitFor();
      await page.screenshot({ path: screenshotPath("dashboard-run-dark.png"), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("shows the history's trends: a point per day, and the flaky task", async () => {
      const { page, errors } = await open("#/trends?by=day");
      const chart = page.locator("[aria-label='Makespan per period: mean, p50, p95, p99']");
      await chart.waitFor();
      const periods = (project.stats["periods"] as unknown[]).length;
      assert.equal(await chart.getAttribute("data-points"), String(periods), "a point per day");
      assert.ok(await page.getByRole("cell", { name: "test", exact: true }).isVisible());
      await page.screenshot({ path: screenshotPath("dashboard-trends.png"), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("shows each service's calls, error rate, latency and breaker, with a dash for one not called yet", async () => {
      // A server of its own: the others have no services route, as a local dashboard has none.
      const withServices = await startDashboardServer(assets, {
        runs: [],
        services: {
          services: [
            // As parex serve answers (src/server/operations-routes.ts): a service it called,
            // whose breaker opened, and one it has not called yet, which has no latencyMs.
            { name: "payments", ...usageOf(10, 6), breaker: "open" },
            { name: "search", ...new Latencies(50).usage("search", Date.now()), breaker: "closed" },
          ],
        },
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      try {
        await page.goto(`${withServices.url}/dashboard/#/services`);
        await page.locator("tr[data-service='search']").waitFor();
        const cells = async (name: string): Promise<string[]> =>
          page.locator(`tr[data-service='${name}'] td`).allTextContents();
        const payments = await cells("payments");
        assert.deepEqual(payments.slice(0, 2), ["payments", "10"]);
        assert.equal(payments[2], "60 %");
        assert.ok(
          payments.slice(4, 7).every((text) => text !== "–"),
          `latencies: ${payments.join(" | ")}`,
        );
        assert.equal(payments[7], "open");
        assert.deepEqual((await cells("search")).slice(4, 8), ["–", "–", "–", "closed"]);
        assert.equal(
          await page
            .locator("tr[data-service='payments'] [data-breaker]")
            .getAttribute("data-status"),
          "failed",
          "an open breaker reads as failed, in colour and in words",
        );
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
        await withServices.close();
      }
    });

    it("follows a live run: bars appear while tasks run and end in the status of its summary", async () => {
      await followLiveRun({ browser, server, project });
    });

    it("resumes a live run's stream where it was cut off, counting no event twice, and says what the server dropped", async () => {
      const graph = buildGraph([
        { id: "lint", run: null, dependsOn: [] },
        { id: "build", run: null, dependsOn: [] },
        { id: "test", run: null, dependsOn: ["build"] },
      ]);
      const events: RunEvent[] = [];
      const run = await runGraph(graph, {
        executor: { execute: () => Promise.resolve({ ok: true, value: null }) },
        clock: systemClock,
        concurrency: 2,
        listeners: [(event) => events.push(event)],
      });
      const { runId } = run;
      const entry: StubRun = {
        info: { runId, status: "running", startedAt: new Date().toISOString() },
        graph: {
          runId,
          concurrency: 2,
          tasks: graph.tasks.map(({ id, dependsOn }) => ({ id, dependsOn })),
        },
      };
      project.runs.unshift(entry);
      const { page, errors } = await open(`#/runs/${runId}`);
      try {
        await page.getByText("Waiting for events…").waitFor();
        const cut = events.findIndex((e) => e.type === "task.finished");
        for (const event of events.slice(0, cut)) server.publish(runId, event);
        await page.waitForFunction(
          `document.querySelector("[data-count='running']")?.textContent === "2"`,
        );
        server.gap(runId, 3); // to the page connected now: a gap is not kept for later clients
        await page.getByText("3 events were dropped before they reached this page").waitFor();
        // Cut off; what is published meanwhile comes after the reconnection, from Last-Event-ID.
        server.disconnect(runId);
        for (const event of events.slice(cut)) server.publish(runId, event);
        const analysis = analyze(graph, run);
        entry.info = {
          ...entry.info,
          status: run.status,
          summary: summarize(run, analysis, insight(graph, run, analysis)),
        };
        await page.locator("[data-run-status='succeeded']").waitFor({ timeout: 30_000 });
        await page.waitForFunction(
          `document.querySelector("[data-count='succeeded']")?.textContent === "3"`,
        );
        const described = events.filter((e) => e.type !== "task.output").length;
        assert.equal(await page.locator("ol.events li").count(), described, "each event once");
        const streams = server.requests.filter((r) => r === `GET /api/v1/runs/${runId}/events`);
        assert.equal(streams.length, 2, "the page reconnected once");
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
        project.runs.splice(project.runs.indexOf(entry), 1); // the other tests' runs list
      }
    });
  },
);
