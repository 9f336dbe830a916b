/** The schedule search (issue 17) on the simulator: quality against the optimum, and its cost. */
import { fmt, markdown, node } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function search(quick: boolean): ScenarioResult {
  const script = "bench/workloads/search.ts";
  const small = node(script, ["small", quick ? 30 : 200]);
  const large = [
    ...node(script, ["large", quick ? 3 : 20, 60, 4]),
    ...node(script, ["large", quick ? 2 : 5, 1000, 8]),
    ...(quick ? [] : node(script, ["large", 3, 10000, 8])),
  ];
  const smallTable = markdown(
    [
      "order",
      "slots",
      "graphs",
      "makespan / best list, mean",
      "worst",
      "at the best",
      "planning ms",
    ],
    small.map((r) => [
      String(r["order"]),
      Number(r["slots"]),
      Number(r["graphs"]),
      fmt(Number(r["meanRatio"]), 4),
      fmt(Number(r["worstRatio"]), 4),
      Number(r["atBest"]),
      r["planningMs"] === undefined ? "" : fmt(Number(r["planningMs"]), 2),
    ]),
  );
  const largeTable = markdown(
    [
      "order",
      "tasks",
      "slots",
      "graphs",
      "makespan / lower bound, mean",
      "worst",
      "planning ms, mean (worst)",
    ],
    large.map((r) => [
      String(r["order"]),
      Number(r["size"]),
      Number(r["slots"]),
      Number(r["graphs"]),
      fmt(Number(r["meanRatio"]), 5),
      fmt(Number(r["worstRatio"]), 5),
      r["planningMs"] === undefined
        ? ""
        : `${fmt(Number(r["planningMs"]), 1)} (${fmt(Number(r["worstPlanningMs"]), 1)})`,
    ]),
  );
  const row = (order: string, slots: number) =>
    small.find((r) => r["order"] === order && r["slots"] === slots);
  const verdicts = [2, 3].map((slots) => {
    const s = row("searched", slots);
    const cp = row("critical-path", slots);
    return `${slots} slots: searched ${fmt(Number(s?.["meanRatio"]), 4)}× the best list schedule on average (worst ${fmt(Number(s?.["worstRatio"]), 3)}×), critical-path rule ${fmt(Number(cp?.["meanRatio"]), 4)}× (worst ${fmt(Number(cp?.["worstRatio"]), 3)}×); wave barriers beat the search on ${Number(s?.["beatenByWaves"])} graphs`;
  });
  return {
    title: "Schedule search on the simulator (random DAGs, lognormal durations, fixed seeds)",
    command: `npm run bench -- search${quick ? " --quick" : ""}`,
    table: `${smallTable}\n\n${largeTable}`,
    verdicts,
  };
}
