import type { ScalabilityPoint } from "../core/index.js";
import { duration, table } from "./format.js";

/** The scalability curve as a table: predicted makespan for 1..N slots, with waves and the bound. */
export function renderScalability(
  points: readonly ScalabilityPoint[],
  current?: number,
  format: (ms: number) => string = duration,
): string[] {
  return table(
    [
      ["slots", "parex", "wave barriers", "lower bound", "speedup"],
      ...points.map((p) => [
        `${p.slots}${p.slots === current ? " ←" : ""}`,
        format(p.makespanMs),
        format(p.waveMakespanMs),
        format(p.lowerBoundMs),
        `${p.speedup.toFixed(2)}×`,
      ]),
    ],
    [false, true, true, true, true],
  );
}
