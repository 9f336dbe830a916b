/** The dashboard in Chromium: a finished 2,000-task run's first render, and 1,000 events/s live. */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function dashboard(quick: boolean): ScenarioResult {
  const reps = quick ? 2 : 5;
  const rows = node("bench/workloads/dashboard.ts", [2000, 8, reps, 1000]);
  const finished = rows.filter((r) => r["case"] === "finished");
  const inPage = rows.filter((r) => r["case"] === "finished, laid out in the page");
  const live = rows.filter((r) => r["case"] === "live");
  const of = (key: string) => stats(finished.map((r) => Number(r[key])));
  const ofLive = (key: string) => stats(live.map((r) => Number(r[key])));
  const ofInPage = (key: string) => stats(inPage.map((r) => Number(r[key])));
  const graphFirst = of("graphFirstMs");
  const first = live[0] ?? {};
  const longTasks = ofLive("longTasks");
  const render = of("renderMs");
  const slowest = ofLive("slowestInputMs");
  for (const r of live) r["styleAndLayoutMs"] = Number(r["styleMs"]) + Number(r["layoutMs"]);
  const table = markdown(
    ["measure (ms from navigation unless said), median (min–max)", "value"],
    [
      ["finished run: its data has arrived (run + graph)", spread(of("dataMs"), 0)],
      ["finished run: every bar and counter drawn", spread(render, 0)],
      ["… of which drawing, after the data arrived", spread(of("drawMs"), 0)],
      ["… longest main-thread task until then", spread(of("longestTaskMs"), 0)],
      [
        "finished run: the graph's first nodes drawn (its layout kept by the runner)",
        spread(graphFirst, 0),
      ],
      ["finished run: all its nodes drawn", spread(of("graphMs"), 0)],
      ["… longest main-thread task until then", spread(of("longestWithGraphMs"), 0)],
      [
        "finished run, graph not laid out yet: dagre in the page's worker",
        spread(ofInPage("layoutMs"), 0),
      ],
      ["… its first nodes drawn", spread(ofInPage("graphFirstMs"), 0)],
      ["… all its nodes drawn", spread(ofInPage("graphMs"), 0)],
      [
        `live: ${String(first["events"])} events at ${String(first["rate"])}/s, main-thread tasks over 50 ms`,
        spread(longTasks, 0),
      ],
      ["live: … over 100 ms", spread(ofLive("over100Ms"), 0)],
      ["live: the longest task", spread(ofLive("longestTaskMs"), 0)],
      [
        "live: from the last event to the page's counters showing the end (noted in the page)",
        spread(ofLive("settleMs"), 0),
      ],
      [
        "live: the main thread busy in tasks from the first event until the end is read (wall time)",
        spread(ofLive("busyMs"), 0),
      ],
      ["live: … its CPU time", spread(ofLive("cpuMs"), 0)],
      ["live: … in script", spread(ofLive("scriptMs"), 0)],
      ["live: … in style and layout", spread(ofLive("styleAndLayoutMs"), 0)],
      [
        `live: key presses meanwhile (Tab, 4 a second): ${fmt(ofLive("presses").median, 0)} a run; the slowest answered`,
        spread(slowest, 0),
      ],
      ["live: … presses answered in over 100 ms", spread(ofLive("inputsOver100Ms"), 0)],
      ["live: … in over 200 ms", spread(ofLive("inputsOver200Ms"), 0)],
    ],
  );
  return {
    title: "The dashboard in Chromium: a finished 2,000-task run, and a live run at 1,000 events/s",
    command: `npm run bench -- dashboard${quick ? " --quick" : ""}`,
    table,
    notes: [
      "A random layered DAG of 2,000 tasks on 8 slots, run by the real scheduler on a virtual clock; the built dashboard (dist/dashboard) served with the run's summary, graph and events by the test stand-in of the API (src/testing/dashboard-server.ts), in Debian's Chromium, 1280×900. Live: each run counts every task from its events alone before it is timed as settled (no event dropped); the main thread's busy time (TaskDuration, wall time) and CPU time (ThreadTime) are Chromium's Performance.getMetrics, from before the first event until the end has been read; a key press's latency is the Event Timing API's, from the press to the frame that shows it (those under 16 ms are not reported, and count as fast).",
    ],
    verdicts: [
      `live at ${String(first["rate"])} events/s, every event counted: ${fmt(longTasks.median, 0)} main-thread tasks over 50 ms (median of ${live.length}), the longest ${fmt(ofLive("longestTaskMs").max, 0)} ms`,
      `responsive meanwhile: the slowest key press of each live run answered in ${fmt(slowest.median, 0)} ms (median; at most ${fmt(slowest.max, 0)}), ${slowest.max <= 200 ? "within" : "over"} the 200 ms of a "good" Interaction to Next Paint`,
      `a finished 2,000-task run is drawn ${fmt(render.median, 0)} ms after navigation (median of ${reps}), its graph's first nodes at ${fmt(graphFirst.median, 0)} ms: ${Math.max(render.median, graphFirst.median) < 1000 ? "within" : "over"} the 1 s budget`,
    ],
  };
}
