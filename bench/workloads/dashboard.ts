/**
 * The dashboard in Chromium (dist/dashboard, served by the test stand-in of its API):
 * - a finished run of TASKS tasks replayed from its summary: ms from navigation until its data
 *   has arrived, until every bar and counter is drawn, then until the task graph is laid out
 *   (in a worker) and drawn; the longest task of the main thread until then;
 * - the same run live, its events streamed at RATE per second: the main thread's long tasks
 *   (> 50 ms) meanwhile, and how long after the last event the page shows the end, having
 *   counted every task from the events alone (none dropped), and the main thread's busy time
 *   meanwhile, in all and in script, style and layout, and the latency of key presses made
 *   meanwhile (Tab, 4 a second: how responsive the page is to a person); REPS times each.
 *   node --import tsx bench/workloads/dashboard.ts [TASKS] [SLOTS] [REPS] [RATE]
 * The run is simulated (the real scheduler on a virtual clock, random layered DAG), so its
 * events and summary are parex's own.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, CDPSession, Page } from "playwright-core";
import { GraphLayouts } from "../../dist/cli/graph-layouts.js";
import type { RunEvent, RunSummary } from "../../dist/core/index.js";
import { startDashboardServer } from "../../src/testing/dashboard-server.js";
import type { DashboardServer, StubRun } from "../../src/testing/dashboard-server.js";
import { root } from "../lib/harness.js";
import { liveCopy, simulatedRun, streamLive } from "../lib/dashboard-run.js";

const [tasksArg = "2000", slotsArg = "8", repsArg = "5", rateArg = "1000"] = process.argv.slice(2);
const chromiumPath = "/usr/bin/chromium";
const assets = `${root}dist/dashboard`;
const gantt = "svg[aria-label^='Gantt'] [data-task]";
const nodes = "svg[aria-label^='Task graph'] [data-task]";

/** Records the main thread's long tasks from the start of the page. */
const observeLongTasks = `window.__long = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: "longtask", buffered: true });`;

const count = (selector: string): string =>
  `document.querySelectorAll(${JSON.stringify(selector)}).length`;

/**
 * Notes when the Gantt chart has all its tasks, when the graph shows its first nodes (its top,
 * in view), and when it has all of them (a MutationObserver: no polling delay).
 */
const observeDrawn = (tasks: number): string =>
  `window.__drawn = {}; new MutationObserver(() => { const d = window.__drawn; if (d.bars === undefined && ${count(gantt)} === ${tasks}) d.bars = performance.now(); if (d.firstNodes === undefined && ${count(nodes)} > 0) d.firstNodes = performance.now(); if (d.nodes === undefined && ${count(nodes)} === ${tasks}) d.nodes = performance.now(); }).observe(document, { subtree: true, childList: true });`;

async function finishedRender(
  browser: Browser,
  server: DashboardServer,
  runId: string,
  tasks: number,
) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(observeLongTasks);
  await page.addInitScript(observeDrawn(tasks));
  await page.goto(`${server.url}/dashboard/#/runs/${runId}`);
  await page.waitForFunction("window.__drawn.bars !== undefined", undefined, { timeout: 60_000 });
  const counted = await page.locator("[data-count='succeeded']").textContent();
  if (counted !== String(tasks))
    throw new Error(`the counters show ${counted} succeeded, not ${tasks}`);
  const renderMs = await page.evaluate<number>("window.__drawn.bars");
  const dataMs = await page.evaluate<number>(
    `Math.max(...performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v1/runs/")).map((e) => e.responseEnd))`,
  );
  const longest = await longestTask(page);
  await page.waitForFunction("window.__drawn.nodes !== undefined", undefined, { timeout: 300_000 });
  const graphMs = await page.evaluate<number>("window.__drawn.nodes");
  const graphFirstMs = await page.evaluate<number>("window.__drawn.firstNodes");
  const drawnGraph = page.locator("[data-layout-ms]");
  const layoutMs = Number(await drawnGraph.getAttribute("data-layout-ms"));
  const laidOutBy = await drawnGraph.getAttribute("data-laid-out-by");
  const longestAfter = await longestTask(page);
  await page.close();
  return {
    dataMs,
    renderMs,
    drawMs: renderMs - dataMs,
    longestTaskMs: longest,
    graphFirstMs,
    graphMs,
    layoutMs,
    laidOutBy,
    longestWithGraphMs: longestAfter,
  };
}

/**
 * The renderer main thread's time so far in all its tasks (wall time, which a busy machine
 * stretches by descheduling the page), its CPU time, and its time in script, style and layout
 * (Chromium's Performance domain): sums over the whole stream, steadier from run to run than
 * the longest task.
 */
async function mainThreadSeconds(cdp: CDPSession) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const value = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    task: value("TaskDuration"),
    cpu: value("ThreadTime"),
    script: value("ScriptDuration"),
    style: value("RecalcStyleDuration"),
    layout: value("LayoutDuration"),
  };
}

async function longestTask(page: Page): Promise<number> {
  return page.evaluate<number>("Math.max(0, ...window.__long)");
}

async function live(
  browser: Browser,
  server: DashboardServer,
  run: StubRun,
  events: readonly RunEvent[],
  summary: RunSummary,
  rate: number,
) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/dashboard/#/runs/${run.info.runId}`);
  await page.getByText("Waiting for events…").waitFor();
  await page.evaluate(observeLongTasks);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const before = await mainThreadSeconds(cdp);
  await page.evaluate(observeInputs);
  // The counters are folded from the events alone (the summary only fills the panels): every
  // task counted as succeeded means no event was lost on the way. Noted by the page itself.
  const ended = `document.querySelector("[data-run-status='${summary.status}']") !== null && document.querySelector("[data-count='succeeded']")?.textContent === "${summary.tasks.length}"`;
  await page.evaluate(
    `new MutationObserver((_, observer) => { if (${ended}) { window.__endedAt = Date.now(); observer.disconnect(); } }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });`,
  );
  const streamed = streamLive(server, run, events, summary, rate);
  // The stream is awaited whatever the presses do: it must not go on publishing after a failure.
  const [pressed, { sentAt, seconds }] = await Promise.all([
    pressWhile(page, streamed).then(
      (presses) => ({ presses }),
      (error: unknown) => ({ error }),
    ),
    streamed,
  ]);
  if ("error" in pressed) throw pressed.error;
  const { presses } = pressed;
  await page.waitForFunction("window.__endedAt !== undefined", undefined, { timeout: 60_000 });
  // Both clocks in ms since the epoch: when the page showed the end, less when the last event went.
  const endedAt = await page.evaluate<number>("window.__endedAt");
  const settleMs = endedAt - (Date.now() - (performance.now() - sentAt));
  if ((await page.getByText("events were dropped").count()) > 0)
    throw new Error("the page says events were dropped before they reached it");
  const long = await page.evaluate<number[]>("window.__long");
  const inputs = await page.evaluate<number[]>(
    "[...window.__inputs.values()].sort((a, b) => a - b)",
  );
  const after = await mainThreadSeconds(cdp);
  await page.close();
  const ms = (key: keyof typeof after): number => Math.round((after[key] - before[key]) * 1000);
  return {
    seconds,
    busyMs: ms("task"),
    cpuMs: ms("cpu"),
    scriptMs: ms("script"),
    styleMs: ms("style"),
    layoutMs: ms("layout"),
    longTasks: long.length,
    over100Ms: long.filter((ms) => ms > 100).length,
    longestTaskMs: Math.max(0, ...long),
    presses,
    // Interactions under 16 ms are not reported (the Event Timing API's floor): counted as fast.
    inputsOver100Ms: inputs.filter((ms) => ms > 100).length,
    inputsOver200Ms: inputs.filter((ms) => ms > 200).length,
    slowestInputMs: Math.max(0, ...inputs),
    settleMs,
  };
}

/**
 * Each interaction's latency, from the key press to the frame that showed its effect (the
 * Event Timing API; an interaction's keydown and keyup count as one, its longer).
 */
const observeInputs = `window.__inputs = new Map(); new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.interactionId > 0) window.__inputs.set(e.interactionId, Math.max(e.duration, window.__inputs.get(e.interactionId) ?? 0)); }).observe({ type: "event", durationThreshold: 16 });`;

/**
 * Presses Tab every 250 ms until `until` settles, as a person moving the keyboard focus from
 * bar to bar while the run streams in; resolves with how many presses were made, as soon as
 * `until` settles (not at the end of a pause), and rejects with a press's error.
 */
async function pressWhile(page: Page, until: Promise<unknown>): Promise<number> {
  let done = false;
  const settled = until.then(
    () => (done = true),
    () => (done = true),
  );
  let presses = 0;
  while (!done) {
    await page.keyboard.press("Tab");
    presses++;
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
  return presses;
}

if (!existsSync(chromiumPath))
  throw new Error(`${chromiumPath} is missing: apt-get install chromium`);
if (!existsSync(`${assets}/index.html`)) throw new Error(`${assets} is missing: npm run build`);
const tasks = Number(tasksArg);
const reps = Number(repsArg);
const simulated = await simulatedRun(tasks, Number(slotsArg));
const { events, summary, graphBody } = simulated;
// As parex serves a large graph once a run of it has been laid out (src/cli/graph-layouts.ts);
// and without the layout, laid out in the page, as an older run's or a report's.
const layoutDir = mkdtempSync(join(tmpdir(), "parex-bench-layouts-"));
const layouts = GraphLayouts.open(layoutDir, assets);
if (layouts === undefined) throw new Error(`${assets} has no layout worker: npm run build`);
await layouts.layOut(graphBody).done;
const laid = layouts.withLayout(graphBody);
rmSync(layoutDir, { recursive: true, force: true });
if (laid.layout === undefined) throw new Error("the runner's layout failed");
const finishedRuns = (["runner", "page"] as const).map((by) => {
  const runId = by === "runner" ? summary.runId : `${summary.runId}-laid-out-in-page`;
  const run: StubRun = {
    info: {
      runId,
      status: summary.status,
      startedAt: summary.startedAt,
      summary: { ...summary, runId },
    },
    graph: by === "runner" ? { ...laid, runId } : { ...graphBody, runId },
  };
  return { by, run };
});
const liveRuns = Array.from({ length: reps }, (_, rep) =>
  liveCopy(simulated, `${summary.runId}-live-${rep + 1}`),
);
const server = await startDashboardServer(assets, {
  runs: [...finishedRuns.map((f) => f.run), ...liveRuns],
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const { by, run } of finishedRuns) {
      const row = await finishedRender(browser, server, run.info.runId, tasks);
      if (row.laidOutBy !== by)
        throw new Error(`the graph was laid out by the ${String(row.laidOutBy)}, not the ${by}`);
      const name = by === "runner" ? "finished" : "finished, laid out in the page";
      console.log(JSON.stringify({ case: name, tasks, events: events.length, ...row }));
    }
  }
  for (const liveRun of liveRuns) {
    const row = await live(browser, server, liveRun, events, summary, Number(rateArg));
    const rate = Number(rateArg);
    console.log(JSON.stringify({ case: "live", tasks, events: events.length, rate, ...row }));
  }
} finally {
  await browser.close();
  await server.close();
}
