// Renderers of runs for people: the terminal summary, the Gantt lanes, what-if tables.
export { duration, percent, table } from "./format.js";
export { renderGantt, renderSummary } from "./text-summary.js";
export { renderScalability } from "./what-if.js";
export { renderTrace } from "./trace.js";
export { renderReport } from "./html-report.js";
export type { ReportInput } from "./html-report.js";
export { renderGraph } from "./graph-formats.js";
export { lineReporter } from "./line-reporter.js";
export { colors, LiveReporter, plain } from "./live-reporter.js";
export type { LiveReporterOptions, Style } from "./live-reporter.js";
export type { LineReporterOptions, OutputMode } from "./line-reporter.js";
export type { GraphFormat } from "./graph-formats.js";
export { straysLine } from "./strays.js";
