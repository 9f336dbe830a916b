/** Scheduling orders compared on the simulator (the real scheduler on a virtual clock). */
import { fmt, markdown, node } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function simulator(quick: boolean): ScenarioResult {
  const rows = node("bench/workloads/simulator.ts", quick ? [10, 60, 4] : [40, 60, 4]);
  const table = markdown(
    [
      "order",
      "graphs",
      "tasks",
      "slots",
      "makespan / lower bound, mean",
      "median",
      "worst",
      "at the bound",
    ],
    rows.map((r) => [
      String(r["order"]),
      Number(r["graphs"]),
      Number(r["tasks"]),
      Number(r["slots"]),
      fmt(Number(r["meanRatio"]), 3),
      fmt(Number(r["medianRatio"]), 3),
      fmt(Number(r["worstRatio"]), 3),
      Number(r["atBound"]),
    ]),
  );
  const mean = (order: string) => Number(rows.find((r) => r["order"] === order)?.["meanRatio"]);
  return {
    title:
      "Scheduling quality on the simulator (random layered DAGs, lognormal durations, fixed seeds)",
    command: `npm run bench -- simulator${quick ? " --quick" : ""}`,
    table,
    verdicts: [
      `parex warm: ${fmt(mean("parex warm"), 3)}× the lower bound; FIFO ${fmt(mean("FIFO"), 3)}×; wave barriers ${fmt(mean("wave barriers"), 3)}×`,
    ],
  };
}
