/** The dashboard in Chromium: a finished 2,000-task run's first render, and 1,000 events/s live. */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function dashboard(quick: boolean): ScenarioResult {
  const reps = quick ? 2 : 5;
  const rows = node("bench/workloads/dashboard.ts", [2000, 8, reps, 1000]);
  const finished = rows.filter((r) => r["case"] === "finished");
  const live = rows.find((r) => r["case"] === "live") ?? {};
  const of = (key: string) => stats(finished.map((r) => Number(r[key])));
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
        `live: ${String(live["events"])} events at ${String(live["rate"])}/s, long tasks (> 50 ms)`,
        String(live["longTasks"]),
      ],
      ["live: the longest task", fmt(Number(live["longestTaskMs"]), 0)],
      ["live: from the last event to the page showing the end", fmt(Number(live["settleMs"]), 0)],
    ],
  );
  return {
    title: "The dashboard in Chromium: a finished 2,000-task run, and a live run at 1,000 events/s",
    command: `npm run bench -- dashboard${quick ? " --quick" : ""}`,
    table,
    notes: [
      "A random layered DAG of 2,000 tasks on 8 slots, run by the real scheduler on a virtual clock; the built dashboard (dist/dashboard) served with the run's summary, graph and events by the test stand-in of the API (src/testing/dashboard-server.ts), in Debian's Chromium, 1280×900.",
    ],
    verdicts: [
      `a finished 2,000-task run is drawn ${fmt(render.median, 0)} ms after navigation (median of ${reps}): ${render.median < 1000 ? "within" : "over"} the 1 s budget`,
    ],
  };
}
