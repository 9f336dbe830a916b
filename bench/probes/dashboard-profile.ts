/**
 * Where a live dashboard's long tasks go: streams a simulated run's events to the page at RATE
 * per second with Chromium's JS sampling profiler on, then prints each stretch of main-thread
 * work over 50 ms with the functions it was spent in (inclusive), and the totals over them.
 *   npm run build && npx vite build -c src/dashboard/vite.config.ts --minify false --outDir /tmp/dash-plain
 *   node --import tsx bench/probes/dashboard-profile.ts /tmp/dash-plain [TASKS] [SLOTS] [RATE]
 * (an unminified build keeps the functions' names; dist/dashboard works too, with short names.)
 */
import { chromium } from "playwright-core";
import { startDashboardServer } from "../../src/testing/dashboard-server.js";
import { liveCopy, simulatedRun, streamLive } from "../lib/dashboard-run.js";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [assets = "dist/dashboard", tasksArg = "2000", slotsArg = "8", rateArg = "1000"] =
  process.argv.slice(2);
const run = await simulatedRun(Number(tasksArg), Number(slotsArg));
const live = liveCopy(run, `${run.summary.runId}-live`);
const server = await startDashboardServer(assets, { runs: [live] });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/dashboard/#/runs/${live.info.runId}`);
  await page.getByText("Waiting for events…").waitFor();
  await page.evaluate(
    `window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: "longtask" });`,
  );
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  await browser.startTracing(page, {
    categories: ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"],
  });
  await streamLive(server, live, run.events, run.summary, Number(rateArg));
  await page.waitForFunction(
    `document.querySelector("[data-count='succeeded']")?.textContent === "${run.summary.tasks.length}"`,
    undefined,
    { polling: "raf", timeout: 60_000 },
  );
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
  const trace = JSON.parse((await browser.stopTracing()).toString("utf8")) as {
    traceEvents: TraceEvent[];
  };
  console.log(`long tasks (PerformanceObserver): ${String(await page.evaluate("window.__long"))}`);
  report(profile);
  tasks(trace.traceEvents);
} finally {
  await browser.close();
  await server.close();
}

/** Prints each busy stretch over 50 ms and the functions it was spent in. */
function report(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode): string => {
    const file = n.callFrame.url.split("/").at(-1) ?? "";
    return `${n.callFrame.functionName || "(anonymous)"} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const stack = (id: number): string[] => {
    const names = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n !== undefined && n.callFrame.functionName !== "(root)") names.add(name(n));
    }
    return [...names];
  };
  const total = new Map<string, number>();
  const self = new Map<string, number>();
  const whole = new Map<string, number>();
  let stretch: { ms: number; fns: Map<string, number> } = { ms: 0, fns: new Map() };
  let stretches = 0;
  const close = (): void => {
    if (stretch.ms > 50) {
      stretches++;
      const top = [...stretch.fns].sort((a, b) => b[1] - a[1]).slice(0, 30);
      console.log(`\n— ${stretch.ms.toFixed(0)} ms of work:`);
      for (const [fn, ms] of top) console.log(`  ${ms.toFixed(0).padStart(5)} ms  ${fn}`);
      for (const [fn, ms] of stretch.fns) total.set(fn, (total.get(fn) ?? 0) + ms);
    }
    stretch = { ms: 0, fns: new Map() };
  };
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (leaf === undefined || leaf.callFrame.functionName === "(idle)") return close();
    stretch.ms += ms;
    for (const fn of stack(id)) {
      stretch.fns.set(fn, (stretch.fns.get(fn) ?? 0) + ms);
      whole.set(fn, (whole.get(fn) ?? 0) + ms);
    }
    const own = name(leaf);
    if (stretch.ms > 0) self.set(own, (self.get(own) ?? 0) + ms);
  });
  close();
  console.log(`\n${stretches} stretches over 50 ms; inclusive time over all of them:`);
  for (const [fn, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${fn}`);
  console.log(`\ninclusive time over the whole run:`);
  for (const [fn, ms] of [...whole].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${fn}`);
  console.log(`\nself time over the whole run:`);
  for (const [fn, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${fn}`);
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tid: number;
  readonly pid: number;
  readonly args?: { readonly name?: string };
}

/**
 * The renderer main thread's tasks over 50 ms, from the trace: what the browser did in each
 * (style, layout, paint, script ...), summed by name; nested events are counted in each.
 */
function tasks(events: readonly TraceEvent[]): void {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (main === undefined) return;
  const mine = events.filter((e) => e.tid === main.tid && e.pid === main.pid && e.ph === "X");
  const all = mine.filter((e) => e.name === "RunTask");
  const long = all.filter((e) => (e.dur ?? 0) > 50_000);
  const busy = all.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
  const longest = Math.max(0, ...all.map((e) => e.dur ?? 0)) / 1000;
  console.log(
    `\nmain thread: busy ${busy.toFixed(0)} ms in ${all.length} tasks; ${long.length} over 50 ms, the longest ${longest.toFixed(0)} ms:`,
  );
  // What the whole stream cost the main thread, by kind of work (nested events in each).
  const kinds = new Map<string, number>();
  for (const e of mine) kinds.set(e.name, (kinds.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 16);
  console.log(`  all tasks: ${top.map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(", ")}`);
  for (const task of long) {
    const end = task.ts + (task.dur ?? 0);
    const byName = new Map<string, number>();
    for (const e of mine) {
      if (e === task || e.ts < task.ts || e.ts >= end || (e.dur ?? 0) < 1_000) continue;
      byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const parts = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      `  ${((task.dur ?? 0) / 1000).toFixed(0).padStart(4)} ms: ${parts.map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(", ")}`,
    );
  }
}
