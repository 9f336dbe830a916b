import type { LaneEntry, RunSummary, ScalabilityPoint } from "../core/index.js";
import { cacheWords, coverage } from "./compact-summary.js";
import { duration, percent } from "./format.js";

/** What the report is drawn from: the summary, each slot's attempts, and the graph's edges. */
export interface ReportInput {
  readonly summary: RunSummary;
  readonly lanes: readonly (readonly LaneEntry[])[];
  /** Each task's dependencies, by id. */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
}

const colours: Readonly<Record<string, string>> = {
  succeeded: "#2f9e44",
  failed: "#e03131",
  skipped: "#adb5bd",
  cancelled: "#868e96",
  retried: "#f08c00",
};

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One self-contained HTML file (no network): the run's numbers, a Gantt chart per slot with
 * the critical path outlined, the task graph, the scalability curve, per-group sequential vs
 * parallel time, the gates and every task.
 */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const cache = cacheWords(summary);
  const metrics: [string, string][] = [
    ["makespan", duration(summary.makespanMs)],
    ["sum of task times", duration(summary.sequentialMs)],
    ["speedup", `${summary.speedup.toFixed(2)}×`],
    ["efficiency", percent(summary.efficiency)],
    ["critical path", duration(summary.criticalPathMs)],
    [
      "lower bound",
      `${duration(summary.lowerBoundMs)} (run: ${summary.lowerBoundRatio.toFixed(2)}×)`,
    ],
    ["serial fraction", percent(summary.serialFraction)],
    ["idle slot time", duration(summary.idleSlotMs)],
    ...(cache === undefined ? [] : [["cache", cache] as [string, string]]),
    ...(summary.throughputPerSec === undefined
      ? []
      : [["throughput", `${summary.throughputPerSec.toFixed(1)} tasks/s`] as [string, string]]),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>parex ${escape(summary.runId)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529;background:#fff;max-width:1200px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.sub{color:#495057}.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
.card{border:1px solid #dee2e6;border-radius:6px;padding:8px 12px;min-width:130px}
.card b{display:block;font-size:18px}.card span{color:#495057;font-size:12px}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e9ecef;text-align:left}
th{color:#495057;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f8f9fa;padding:6px 8px;margin:4px 0 10px;overflow-x:auto}
.pass{color:#2f9e44}.warn{color:#f08c00}.fail{color:#e03131}svg text{font:11px system-ui,sans-serif}
</style></head><body>
<h1>parex · ${escape(summary.runId)} · <span class="${summary.status === "succeeded" ? "pass" : summary.status === "partial" ? "warn" : "fail"}">${escape(summary.status)}</span></h1>
<div class="sub">${summary.tasks.length} tasks on ${summary.concurrency} slots · strategy ${escape(summary.strategy)} · started ${escape(summary.startedAt)}</div>
${coverage(summary) === undefined ? "" : `<p class="warn">The run did not run every task to its end: ${escape(coverage(summary) ?? "")}.</p>`}
<div class="cards">${metrics.map(([k, v]) => `<div class="card"><b>${escape(v)}</b><span>${escape(k)}</span></div>`).join("")}</div>
<h2>Timeline (one lane per slot; critical path outlined)</h2>
${gantt(input)}
<h2>Task graph</h2>
${graph(input)}
${(summary.scalability?.length ?? 0) > 1 ? `<h2>Scalability: what other slot counts would give</h2>${scalabilityChart(summary.scalability ?? [], summary)}` : ""}
<h2>Sequential vs parallel, per group</h2>
${groupBars(summary)}
${failures(summary)}
${summary.gates.length > 0 ? `<h2>Quality gates</h2><table>${summary.gates.map((g) => `<tr><td class="${g.status}">${g.status.toUpperCase()}</td><td>${escape(g.message)}</td></tr>`).join("")}</table>` : ""}
<h2>Tasks</h2>
<table><tr><th>task</th><th>status</th><th class="num">start</th><th class="num">time</th><th class="num">tries</th><th class="num">slot</th><th>why</th></tr>
${summary.tasks.map((t) => `<tr><td>${escape(t.id)}</td><td style="color:${colours[t.status] ?? "#000"}">${escape(t.status)}</td><td class="num">${t.startMs === undefined ? "-" : duration(t.startMs)}</td><td class="num">${t.durationMs === undefined ? "-" : duration(t.durationMs)}</td><td class="num">${t.attempts}</td><td class="num">${t.slot ?? "-"}</td><td>${escape(t.error ?? t.reason ?? "")}</td></tr>`).join("\n")}
</table></body></html>
`;
}

/** Each failed task, how it failed in words, and the last lines of its output. */
function failures(summary: RunSummary): string {
  const failed = summary.tasks.filter((t) => t.status === "failed");
  if (failed.length === 0) return "";
  const item = (t: (typeof failed)[number]): string =>
    `<li><b>${escape(t.id)}</b>: ${escape(t.error ?? t.reason ?? "failed")}${(t.lastLines?.length ?? 0) > 0 ? `<pre>${escape((t.lastLines ?? []).join("\n"))}</pre>` : ""}</li>`;
  return `<h2 class="fail">Failed</h2><ul>${failed.map(item).join("")}</ul>`;
}

function gantt({ summary, lanes }: ReportInput): string {
  const width = 1100;
  const left = 60;
  const row = 26;
  const span = Math.max(1, ...lanes.flatMap((lane) => lane.map((e) => e.endMs)));
  const x = (ms: number): number => left + (ms / span) * (width - left - 10);
  const critical = new Set(summary.criticalPath);
  const status = new Map(summary.tasks.map((t) => [t.id, t]));
  const bars = lanes.flatMap((lane, slot) =>
    lane.map((entry) => {
      const task = status.get(entry.taskId);
      const final = entry.attempt === task?.attempts;
      const fill = final ? (colours[task.status] ?? "#000") : colours["retried"];
      const [x0, x1] = [x(entry.startMs), x(entry.endMs)];
      const outline =
        critical.has(entry.taskId) && final ? ' stroke="#1c7ed6" stroke-width="3"' : "";
      const label =
        x1 - x0 > entry.taskId.length * 6.5 + 6
          ? `<text x="${x0 + 4}" y="${slot * row + 17}" fill="#fff">${escape(entry.taskId)}</text>`
          : "";
      return `<rect x="${x0.toFixed(1)}" y="${slot * row + 3}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${row - 6}" rx="3" fill="${fill}"${outline}><title>${escape(`${entry.taskId} #${entry.attempt}: ${duration(entry.startMs)} – ${duration(entry.endMs)}`)}</title></rect>${label}`;
    }),
  );
  const anchor = (i: number): string => (i === 0 ? "start" : i === 5 ? "end" : "middle");
  const ticks = Array.from({ length: 6 }, (_, i) => (span * i) / 5)
    .map(
      (ms, i) =>
        `<line x1="${x(ms)}" x2="${x(ms)}" y1="0" y2="${lanes.length * row}" stroke="#e9ecef"/><text x="${x(ms)}" y="${lanes.length * row + 14}" text-anchor="${anchor(i)}">${duration(ms)}</text>`,
    )
    .join("");
  const names = lanes
    .map((_, slot) => `<text x="4" y="${slot * row + 17}">slot ${slot}</text>`)
    .join("");
  return `<svg width="${width}" height="${lanes.length * row + 22}" role="img" aria-label="timeline">${ticks}${names}${bars.join("")}</svg>`;
}

function graph({ summary, dependencies }: ReportInput): string {
  const level = new Map<string, number>();
  const depth = (id: string, seen = new Set<string>()): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const value = Math.max(-1, ...(dependencies[id] ?? []).map((d) => depth(d, seen))) + 1;
    level.set(id, value);
    return value;
  };
  const ids = summary.tasks.map((t) => t.id);
  for (const id of ids) depth(id);
  const columns: string[][] = [];
  for (const id of ids) (columns[level.get(id) ?? 0] ??= []).push(id);
  const [w, h, gapX, gapY] = [150, 26, 60, 12];
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((column, c) =>
    column.forEach((id, r) => at.set(id, { x: c * (w + gapX) + 4, y: r * (h + gapY) + 4 })),
  );
  const critical = summary.criticalPath;
  const onPath = (from: string, to: string): boolean =>
    critical.some((id, i) => id === from && critical[i + 1] === to);
  const status = new Map(summary.tasks.map((t) => [t.id, t.status]));
  const edges = ids.flatMap((id) =>
    (dependencies[id] ?? []).map((dep) => {
      const a = at.get(dep);
      const b = at.get(id);
      if (!a || !b) return "";
      const hot = onPath(dep, id);
      return `<line x1="${a.x + w}" y1="${a.y + h / 2}" x2="${b.x}" y2="${b.y + h / 2}" stroke="${hot ? "#1c7ed6" : "#adb5bd"}" stroke-width="${hot ? 3 : 1}"/>`;
    }),
  );
  const nodes = ids.map((id) => {
    const p = at.get(id) ?? { x: 0, y: 0 };
    const stroke = critical.includes(id) ? "#1c7ed6" : "#ced4da";
    return `<rect x="${p.x}" y="${p.y}" width="${w}" height="${h}" rx="4" fill="#fff" stroke="${stroke}" stroke-width="2"/><circle cx="${p.x + 10}" cy="${p.y + h / 2}" r="4" fill="${colours[status.get(id) ?? ""] ?? "#000"}"/><text x="${p.x + 20}" y="${p.y + 17}">${escape(id.length > 20 ? `${id.slice(0, 19)}…` : id)}</text>`;
  });
  const width = columns.length * (w + gapX) + 10;
  const height = Math.max(...columns.map((c) => c.length)) * (h + gapY) + 10;
  return `<svg width="${width}" height="${height}" role="img" aria-label="task graph">${edges.join("")}${nodes.join("")}</svg>`;
}

function scalabilityChart(points: readonly ScalabilityPoint[], summary: RunSummary): string {
  const [width, height, pad] = [520, 240, 40];
  const top = Math.max(...points.map((p) => Math.max(p.makespanMs, p.waveMakespanMs)));
  const x = (slots: number): number =>
    pad + ((slots - 1) / Math.max(1, points.length - 1)) * (width - 2 * pad);
  const y = (ms: number): number => height - pad - (ms / top) * (height - 2 * pad);
  const line = (pick: (p: ScalabilityPoint) => number, colour: string, dash = ""): string =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.map((p) => `${x(p.slots)},${y(pick(p))}`).join(" ")}"/>`;
  const measured = `<circle cx="${x(summary.concurrency)}" cy="${y(summary.makespanMs)}" r="5" fill="#212529"><title>measured: ${duration(summary.makespanMs)}</title></circle>`;
  const labels = points
    .map((p) => `<text x="${x(p.slots) - 3}" y="${height - pad + 16}">${p.slots}</text>`)
    .join("");
  const legend = `<text x="${pad}" y="14" fill="#2f9e44">parex</text><text x="${pad + 50}" y="14" fill="#e03131">wave barriers</text><text x="${pad + 150}" y="14" fill="#868e96">lower bound (ideal)</text><text x="${pad + 280}" y="14">● measured</text>`;
  return `<svg width="${width}" height="${height}" role="img" aria-label="scalability">${legend}<text x="4" y="${y(top)}">${duration(top)}</text><text x="4" y="${height - pad}">0</text>${line((p) => p.lowerBoundMs, "#868e96", ' stroke-dasharray="4 3"')}${line((p) => p.waveMakespanMs, "#e03131")}${line((p) => p.makespanMs, "#2f9e44")}${measured}${labels}<text x="${width / 2 - 15}" y="${height - 6}">slots</text></svg>`;
}

function groupBars(summary: RunSummary): string {
  const groups = new Map<string, { sequential: number; first: number; last: number }>();
  for (const task of summary.tasks) {
    if (task.startMs === undefined || task.endMs === undefined) continue;
    const name = task.group ?? "other";
    const g = groups.get(name) ?? { sequential: 0, first: Infinity, last: -Infinity };
    g.sequential += task.durationMs ?? 0;
    g.first = Math.min(g.first, task.startMs);
    g.last = Math.max(g.last, task.endMs);
    groups.set(name, g);
  }
  const top = Math.max(1, ...[...groups.values()].map((g) => g.sequential));
  const rows = [...groups].map(([name, g], i) => {
    const parallel = g.last - g.first;
    const bar = (ms: number, dy: number, colour: string): string =>
      `<rect x="110" y="${i * 44 + dy}" width="${((ms / top) * 400).toFixed(1)}" height="14" fill="${colour}"/><text x="${116 + (ms / top) * 400}" y="${i * 44 + dy + 11}">${duration(ms)}</text>`;
    return `<text x="4" y="${i * 44 + 20}">${escape(name)}</text>${bar(g.sequential, 4, "#ced4da")}${bar(parallel, 20, "#2f9e44")}`;
  });
  return `<svg width="620" height="${groups.size * 44 + 24}" role="img" aria-label="groups"><text x="110" y="${groups.size * 44 + 16}" fill="#868e96">grey: one at a time · green: in this run (first start to last end)</text>${rows.join("")}</svg>`;
}
