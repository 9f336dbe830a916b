import type { ScalabilityPoint } from "../core/index.js";
import { duration, table } from "./format.js";

/** The scalability curve as a table: predicted makespan for 1..N slots, with waves and the bound. */
export function renderScalability(points: readonly ScalabilityPoint[], current?: number): string[] {
  return table(
    [
      ["slots", "parex", "wave barriers", "lower bound", "speedup"],
      ...points.map((p) => [
        `${p.slots}${p.slots === current ? " ←" : ""}`,
        duration(p.makespanMs),
        duration(p.waveMakespanMs),
        duration(p.lowerBoundMs),
        `${p.speedup.toFixed(2)}×`,
      ]),
    ],
    [false, true, true, true, true],
  );
}
