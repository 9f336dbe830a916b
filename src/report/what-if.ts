import type { ScalabilityPoint } from "../core/index.js";
import { duration, table } from "./format.js";

/**
 * The scalability curve as a table: predicted makespan for 1..N slots, with the order a warm
 * run searches (when every point has it: summaries stored before it lack it), parex's
 * critical-path rule, wave barriers and the bound.
 */
export function renderScalability(
  points: readonly ScalabilityPoint[],
  current?: number,
  format: (ms: number) => string = duration,
): string[] {
  const searched = points.length > 0 && points.every((p) => p.searchedMakespanMs !== undefined);
  const header = searched
    ? ["slots", "searched", "critical-path rule", "wave barriers", "lower bound", "speedup"]
    : ["slots", "parex", "wave barriers", "lower bound", "speedup"];
  return table(
    [
      header,
      ...points.map((p) => [
        `${p.slots}${p.slots === current ? " ←" : ""}`,
        ...(searched ? [format(p.searchedMakespanMs ?? 0)] : []),
        format(p.makespanMs),
        format(p.waveMakespanMs),
        format(p.lowerBoundMs),
        `${p.speedup.toFixed(2)}×`,
      ]),
    ],
    [false, ...header.slice(1).map(() => true)],
  );
}
