/** The dashboard in Chromium: a finished 2,000-task run's first render, and 1,000 events/s live. */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function dashboard(quick: boolean): ScenarioResult {
  const reps = quick ? 2 : 5;
  const rows = node("bench/workloads/dashboard.ts", [2000, 8, reps, 1000]);
  const finished = rows.filter((r) => r["case"] === "finished");
  const live = rows.filter((r) => r["case"] === "live");
  const of = (key: string) => stats(finished.map((r) => Number(r[key])));
  const ofLive = (key: string) => stats(live.map((r) => Number(r[key])));
  const first = live[0] ?? {};
  const longTasks = ofLive("longTasks");
  const render = of("renderMs");
  const table = markdown(
    ["measure (ms from navigation unless said), median (min–max)", "value"],
    [
      ["finished run: its data has arrived (run + graph)", spread(of("dataMs"), 0)],
      ["finished run: every bar and counter drawn", spread(render, 0)],
      ["… of which drawing, after the data arrived", spread(of("drawMs"), 0)],
      ["… longest main-thread task until then", spread(of("longestTaskMs"), 0)],
      ["finished run: the graph laid out (dagre, in a worker)", spread(of("layoutMs"), 0)],
      ["finished run: the graph drawn", spread(of("graphMs"), 0)],
      ["… longest main-thread task until then", spread(of("longestWithGraphMs"), 0)],
      [
        `live: ${String(first["events"])} events at ${String(first["rate"])}/s, main-thread tasks over 50 ms`,
        spread(longTasks, 0),
      ],
      ["live: … over 100 ms", spread(ofLive("over100Ms"), 0)],
      ["live: the longest task", spread(ofLive("longestTaskMs"), 0)],
      ["live: from the last event to the page showing the end", spread(ofLive("settleMs"), 0)],
    ],
  );
  return {
    title: "The dashboard in Chromium: a finished 2,000-task run, and a live run at 1,000 events/s",
    command: `npm run bench -- dashboard${quick ? " --quick" : ""}`,
    table,
    notes: [
      "A random layered DAG of 2,000 tasks on 8 slots, run by the real scheduler on a virtual clock; the built dashboard (dist/dashboard) served with the run's summary, graph and events by the test stand-in of the API (src/testing/dashboard-server.ts), in Debian's Chromium, 1280×900. Live: each run counts every task from its events alone before it is timed as settled (no event dropped).",
    ],
    verdicts: [
      `live at ${String(first["rate"])} events/s, every event counted: ${fmt(longTasks.median, 0)} main-thread tasks over 50 ms (median of ${live.length}), the longest ${fmt(ofLive("longestTaskMs").max, 0)} ms`,
      `a finished 2,000-task run is drawn ${fmt(render.median, 0)} ms after navigation (median of ${reps}): ${render.median < 1000 ? "within" : "over"} the 1 s budget`,
    ],
  };
}
