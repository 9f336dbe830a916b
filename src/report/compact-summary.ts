import type { RunSummary, TaskStatus } from "../core/index.js";
import { duration, fit, percent, printable, table } from "./format.js";

/** The width the closing summary fits in. */
export const summaryWidth = 80;

/** The run's first line: id, status, size and wall time. */
export function headline(summary: RunSummary): string {
  const tasks = `${summary.tasks.length} task${summary.tasks.length === 1 ? "" : "s"}`;
  return `parex · ${summary.runId} · ${summary.status} · ${tasks} on ${summary.concurrency} slots · ${duration(summary.makespanMs)}`;
}

const marks: readonly [TaskStatus, string][] = [
  ["failed", "✖"],
  ["skipped", "○"],
  ["cancelled", "○"],
  ["succeeded", "✔"],
];

/** How many tasks ended how, failures first: `✖ 1 failed · ○ 2 skipped · ✔ 3 succeeded`. */
export function counts(summary: RunSummary): string {
  return marks
    .map(
      ([status, mark]) =>
        [mark, status, summary.tasks.filter((t) => t.status === status).length] as const,
    )
    .filter(([, , count]) => count > 0)
    .map(([mark, status, count]) => `${mark} ${count} ${status}`)
    .join(" · ");
}

/**
 * What the figures of a run that was not complete cover, in words; undefined for a complete
 * run (summaries stored before `complete` existed count as complete).
 */
export function coverage(summary: RunSummary): string | undefined {
  if (summary.complete !== false) return undefined;
  const count = (test: (t: RunSummary["tasks"][number]) => boolean): number =>
    summary.tasks.filter(test).length;
  const never = count((t) => t.startMs === undefined && t.reused !== true);
  const stopped = count((t) => t.startMs !== undefined && t.status === "cancelled");
  const reused = count((t) => t.reused === true);
  const restored = count((t) => t.cache === "hit");
  const parts = [
    ...(never > 0 ? [`${never} not started`] : []),
    ...(stopped > 0 ? [`${stopped} stopped midway`] : []),
    ...(reused > 0 ? [`${reused} reused from ${summary.resumedFrom ?? "an earlier run"}`] : []),
    ...(restored > 0 ? [`${restored} restored from the cache`] : []),
  ];
  return `figures cover what ran (${parts.join(", ")})`;
}

/** A chain of ids in at most `width` characters: the ends kept (each cut if need be), the middle counted. */
export function chain(ids: readonly string[], width: number): string {
  const all = ids.map(printable);
  const whole = all.join(" → ");
  if (whole.length <= width || all.length < 3) return fit(whole === "" ? "-" : whole, width);
  const middle = ` → … ${all.length - 2} more → `;
  const half = Math.max(1, Math.floor((width - middle.length) / 2));
  return fit(`${fit(all[0] ?? "", half)}${middle}${fit(all.at(-1) ?? "", half)}`, width);
}

/** The quality gates in a few lines: the ones that did not pass, and a count of those that did. */
export function gateLines(summary: RunSummary): string[] {
  if (summary.gates.length === 0) return [];
  const passed = summary.gates.filter((g) => g.status === "pass").length;
  const others = summary.gates.filter((g) => g.status !== "pass");
  return [
    `gates: ${passed} of ${summary.gates.length} passed`,
    ...others.map((g) => `  ${g.status.toUpperCase().padEnd(4)}  ${g.message}`),
  ];
}

/** Rows of label, value and words laid out in `width` columns, the words cut to fit. */
export function metricRows(
  rows: readonly (readonly [string, string, string])[],
  width: number,
): string[] {
  const label = Math.max(0, ...rows.map((r) => r[0].length));
  const value = Math.max(0, ...rows.map((r) => r[1].length));
  const room = width - 2 - label - 2 - value - 2;
  return table(rows.map(([l, v, words]) => [l, v, fit(words, room)])).map((line) => `  ${line}`);
}

/**
 * The closing summary printed after every run: one line on the run, how its tasks ended
 * (failures first), and the few numbers that matter — speedup, critical path, lower bound —
 * in 80 columns. A run that was not complete gets no speedup: what ran of it says little.
 */
export function renderCompactSummary(summary: RunSummary): string {
  const allSucceeded = summary.tasks.every((t) => t.status === "succeeded");
  const note = coverage(summary);
  const values = [
    `${summary.speedup.toFixed(2)}×`,
    duration(summary.criticalPathMs),
    duration(summary.lowerBoundMs),
  ] as const;
  const room =
    summaryWidth - 2 - "critical path".length - 2 - Math.max(...values.map((v) => v.length)) - 2;
  const numbers =
    note === undefined
      ? metricRows(
          [
            [
              "speedup",
              values[0],
              `${percent(summary.efficiency)} efficiency; ${duration(summary.sequentialMs)} of work`,
            ],
            ["critical path", values[1], chain(summary.criticalPath, room)],
            [
              "lower bound",
              values[2],
              `this run took ${summary.lowerBoundRatio.toFixed(2)}× of it`,
            ],
          ],
          summaryWidth,
        )
      : [];
  return [
    headline(summary),
    ...(allSucceeded ? [] : [`  ${counts(summary)}`]),
    ...(note === undefined ? [] : [`  ${note}`]),
    ...numbers,
    ...cacheLines(summary),
    ...gateLines(summary).map((line) => `  ${line}`),
  ].join("\n");
}

/** `cache: 5 hits, 1 miss · saved 41.2 s of task time`, when the run used the cache. */
export function cacheLines(summary: RunSummary): string[] {
  const words = cacheWords(summary);
  return words === undefined ? [] : [`  cache: ${words}`];
}

/**
 * What the cache did in a run, in words (`5 hits, 1 miss · saved 41.2 s of task time`); said
 * once in each view: the closing summary, `--summary full` and the HTML report.
 */
export function cacheWords(summary: RunSummary): string | undefined {
  const cache = summary.cache;
  if (cache === undefined || cache.hits + cache.misses === 0) return undefined;
  const plural = (count: number, word: string, words: string): string =>
    `${count} ${count === 1 ? word : words}`;
  const saved = cache.hits > 0 ? ` · saved ${duration(cache.savedMs)} of task time` : "";
  return `${plural(cache.hits, "hit", "hits")}, ${plural(cache.misses, "miss", "misses")}${saved}`;
}
