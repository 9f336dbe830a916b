import type { RunAnalysis, RunSummary } from "../core/index.js";
import {
  cacheLines,
  chain,
  counts,
  coverage,
  gateLines,
  headline,
  metricRows,
  summaryWidth,
} from "./compact-summary.js";
import { duration, fit, percent, printable, table } from "./format.js";
import { renderScalability } from "./what-if.js";

/** Each task's row: status, start, time on its slots, tries, slot, and CPU and memory when measured. */
function taskRows(summary: RunSummary): string[] {
  const measured = summary.tasks.some((t) => t.peakRssBytes !== undefined);
  const ms = (value: number | undefined): string => (value === undefined ? "-" : duration(value));
  const rows = [
    ["task", "status", "start", "time", "tries", "slot", ...(measured ? ["cpu", "memory"] : [])],
    ...summary.tasks.map((task) => [
      fit(printable(task.id), 20),
      task.reused === true
        ? "reused"
        : task.cache === "hit"
          ? "cached"
          : `${task.status}${task.optional === true && task.status !== "succeeded" ? " (optional)" : ""}`,
      ms(task.startMs),
      ms(task.durationMs),
      String(task.attempts),
      task.slot === undefined ? "-" : String(task.slot),
      ...(measured
        ? [
            ms(task.cpuMs),
            task.peakRssBytes === undefined
              ? "-"
              : `${(task.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
          ]
        : []),
    ]),
  ];
  return table(rows, [false, false, true, true, true, true, true, true]);
}

/** The run's numbers, each with what it means, in 80 columns. */
function metrics(summary: RunSummary): string[] {
  const spawns = summary.tasks.flatMap((t) => (t.spawnMs === undefined ? [] : [t.spawnMs]));
  const bottlenecks = (summary.bottlenecks ?? []).slice(0, 4);
  const rows: [string, string, string][] = [
    ["makespan", duration(summary.makespanMs), "first start to last end"],
    ["sum of task times", duration(summary.sequentialMs), "the one-at-a-time estimate"],
    ["speedup", `${summary.speedup.toFixed(2)}×`, "sum of task times / makespan"],
    ["efficiency", percent(summary.efficiency), `speedup / ${summary.concurrency} slots`],
    ["critical path", duration(summary.criticalPathMs), ""],
    [
      "lower bound",
      duration(summary.lowerBoundMs),
      `max(critical path, work / slots); run took ${summary.lowerBoundRatio.toFixed(2)}×`,
    ],
    ["serial fraction", percent(summary.serialFraction), "time with at most one task running"],
    ["idle slot time", duration(summary.idleSlotMs), "slot time with nothing to run"],
  ];
  if (spawns.length > 0) {
    const mean = spawns.reduce((a, b) => a + b, 0) / spawns.length;
    rows.push(["spawn overhead", duration(mean), "mean time to start a task's process"]);
  }
  if (summary.throughputPerSec !== undefined)
    rows.push([
      "throughput",
      `${summary.throughputPerSec.toFixed(1)}/s`,
      "tasks succeeded per second",
    ]);
  if (bottlenecks.length > 0) {
    const shares = bottlenecks.map((b) => `${printable(b.id)} ${percent(b.share)}`).join(", ");
    rows.push(["bottlenecks", "", `${shares} of the critical path`]);
  }
  const value = Math.max(...rows.map((r) => r[1].length));
  const room = summaryWidth - 2 - "sum of task times".length - 2 - value - 2;
  rows[4] = ["critical path", rows[4]?.[1] ?? "", chain(summary.criticalPath, room)];
  return metricRows(rows, summaryWidth);
}

/**
 * The full analysis of a run (`--summary full`, `parex history RUN`): every task's row, the
 * Gantt lanes when the analysis is at hand (a stored summary has none), what parallelism
 * bought, the gates, and what other slot counts would give; in 80 columns.
 */
export function renderSummary(summary: RunSummary, analysis?: RunAnalysis): string {
  const note = coverage(summary);
  const allSucceeded = summary.tasks.every((t) => t.status === "succeeded");
  const curve = summary.scalability ?? [];
  return [
    headline(summary),
    `  strategy ${summary.strategy} · started ${summary.startedAt.replace("T", " ").slice(0, 19)} UTC`,
    ...(allSucceeded ? [] : [`  ${counts(summary)}`]),
    ...(note === undefined ? [] : [`  ${note}`]),
    "",
    ...indent(taskRows(summary)),
    "",
    ...(analysis === undefined ? [] : [...indent(renderGantt(analysis)), ""]),
    ...metrics(summary),
    ...cacheLines(summary),
    ...(summary.gates.length === 0 ? [] : ["", ...indent(gateLines(summary))]),
    ...(curve.length < 2
      ? []
      : [
          "",
          "  what other slot counts would give (simulated with this run's durations):",
          ...indent(renderScalability(curve, summary.concurrency), 4),
        ]),
  ].join("\n");
}

/** One line per slot: each attempt drawn to scale with the first letters of its task id. */
export function renderGantt(analysis: RunAnalysis, width = 64): string[] {
  const span = Math.max(analysis.makespanMs, 1);
  const origin = Math.min(
    ...analysis.lanes.flatMap((lane) => lane.map((e) => e.startMs)),
    Infinity,
  );
  const start = Number.isFinite(origin) ? origin : 0;
  const lines = analysis.lanes.map((lane, slot) => {
    const cells = new Array<string>(width).fill(" ");
    for (const entry of lane) {
      const from = Math.round(((entry.startMs - start) / span) * width);
      const to = Math.max(from + 1, Math.round(((entry.endMs - start) / span) * width));
      const label = `${printable(entry.taskId)}${"·".repeat(width)}`;
      for (let i = from; i < to && i < width; i++)
        cells[i] = i === to - 1 && to - from > 1 ? "|" : (label[i - from] ?? "·");
    }
    return `slot ${String(slot).padEnd(2)} ${cells.join("")}`;
  });
  return [...lines, `${" ".repeat(8)}0${duration(analysis.makespanMs).padStart(width - 1)}`];
}

function indent(lines: readonly string[], width = 2): string[] {
  return lines.map((line) => `${" ".repeat(width)}${line}`);
}
