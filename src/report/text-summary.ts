import type { RunAnalysis, RunSummary } from "../core/index.js";
import { duration, percent, table } from "./format.js";
import { renderScalability } from "./what-if.js";

/**
 * The closing summary of a run: per-task status and time, the Gantt lanes when the analysis
 * is at hand (a stored summary has none), then what parallelism bought.
 */
export function renderSummary(summary: RunSummary, analysis?: RunAnalysis): string {
  const header = `parex · ${summary.runId} · ${summary.status} · ${summary.tasks.length} tasks on ${summary.concurrency} slots (strategy ${summary.strategy})`;
  const measured = summary.tasks.some((t) => t.peakRssBytes !== undefined);
  const rows = [
    [
      "task",
      "status",
      "start",
      "end",
      "time",
      "tries",
      "slot",
      ...(measured ? ["cpu", "peak mem"] : []),
    ],
    ...summary.tasks.map((task) => [
      task.id,
      task.reason === undefined
        ? task.status
        : `${task.status} (${task.reason}${task.optional === true ? ", optional" : ""})`,
      task.startMs === undefined ? "-" : duration(task.startMs),
      task.endMs === undefined ? "-" : duration(task.endMs),
      task.durationMs === undefined ? "-" : duration(task.durationMs),
      String(task.attempts),
      task.slot === undefined ? "-" : String(task.slot),
      ...(measured
        ? [
            task.cpuMs === undefined ? "-" : duration(task.cpuMs),
            task.peakRssBytes === undefined
              ? "-"
              : `${(task.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
          ]
        : []),
    ]),
  ];
  const spawns = summary.tasks.flatMap((t) => (t.spawnMs === undefined ? [] : [t.spawnMs]));
  const path = summary.criticalPath.join(" → ");
  const metrics = table([
    ["makespan", duration(summary.makespanMs), "first start to last end"],
    ["sum of task times", duration(summary.sequentialMs), "the one-at-a-time estimate"],
    ["speedup", `${summary.speedup.toFixed(2)}×`, "sum of task times / makespan"],
    ["efficiency", percent(summary.efficiency), `speedup / ${summary.concurrency} slots`],
    ["critical path", duration(summary.criticalPathMs), path === "" ? "-" : path],
    [
      "lower bound",
      duration(summary.lowerBoundMs),
      `max(critical path, work / slots); this run took ${summary.lowerBoundRatio.toFixed(2)}× of it`,
    ],
    ["serial fraction", percent(summary.serialFraction), "time with at most one task running"],
    ["idle slot time", duration(summary.idleSlotMs), "slot time with nothing to run"],
    ...(spawns.length === 0
      ? []
      : [
          [
            "spawn overhead",
            duration(spawns.reduce((a, b) => a + b, 0) / spawns.length),
            "mean time to start a task's process",
          ],
        ]),
    ...(summary.throughputPerSec === undefined
      ? []
      : [["throughput", `${summary.throughputPerSec.toFixed(1)}/s`, "tasks succeeded per second"]]),
    ...((summary.bottlenecks?.length ?? 0) === 0
      ? []
      : [
          [
            "bottlenecks",
            summary.bottlenecks?.[0]?.id ?? "",
            (summary.bottlenecks ?? [])
              .slice(0, 4)
              .map((b) => `${b.id} ${percent(b.share)}`)
              .join(", ") + " of the critical path",
          ],
        ]),
  ]);
  const curve = summary.scalability ?? [];
  return [
    header,
    "",
    ...indent(table(rows, [false, false, true, true, true, true, true, true, true])),
    "",
    ...(analysis === undefined ? [] : [...indent(renderGantt(analysis)), ""]),
    ...indent(metrics),
    ...(summary.gates.length === 0
      ? []
      : [
          "",
          "  quality gates:",
          ...summary.gates.map((g) => `    ${g.status.toUpperCase().padEnd(4)}  ${g.message}`),
        ]),
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
      const label = `${entry.taskId}${"·".repeat(width)}`;
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
