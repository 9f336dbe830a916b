import type { GraphOutline, RunSummary } from "../core/index.js";

/**
 * The built dashboard's code, as `npm run build:dashboard` leaves it in dist/dashboard: the
 * page's script (an ES module), its styles, and each web worker's script by name
 * (`layout-worker`, `forecast-worker`).
 */
export interface ReportAssets {
  readonly script: string;
  readonly styles: readonly string[];
  readonly workers: Readonly<Record<string, string>>;
}

/** What a report is written from: the dashboard's code, and the finished run. */
export interface ReportInput {
  readonly assets: ReportAssets;
  readonly summary: RunSummary;
  /** The run's task graph, as `GET /api/v1/runs/:id/graph` serves it. */
  readonly graph: GraphOutline;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * JSON that can sit in a `<script type="application/json">`: no `<` at all, so neither
 * `</script>` nor `<!--` can end or change the element; `JSON.parse` reads `\u003c` back as `<`.
 */
const inlineJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * A script that can sit in an inline `<script>`: `</script` and `<!--`, which would end or
 * change the element, start with `\x3C` instead of `<`. In minified code they can occur only
 * inside strings, template literals and regular expressions, where `\x3C` means `<`.
 */
const inlineScript = (code: string): string => code.replace(/<(?=\/script|!--)/gi, "\\x3C");

/** Styles that can sit in an inline `<style>`: `</style` written `<\/style` (a CSS escape). */
const inlineStyle = (css: string): string => css.replace(/<\/(?=style)/gi, "<\\/");

/**
 * The HTML report: one file holding the dashboard's run view (its script, styles and
 * workers) and the run it shows, the summary and the graph, as the page would otherwise ask
 * the read API for them (`/api/v1/runs/:id` and its `/graph`). It fetches nothing, so it
 * opens from file:// with no server; the ids match src/dashboard/ui/embedded-report.ts.
 */
export function renderReportPage(input: ReportInput): string {
  const { assets, summary, graph } = input;
  const run = {
    runId: summary.runId,
    status: summary.status,
    startedAt: summary.startedAt,
    summary,
  };
  const data = { run, graph: { runId: summary.runId, ...graph } };
  const styles = assets.styles.map((css) => `<style>${inlineStyle(css)}</style>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="parex run --report">
<title>parex ${escapeHtml(summary.runId)} · ${escapeHtml(summary.status)}</title>
<link rel="icon" href="data:,">
${styles.join("\n")}
</head>
<body>
<div id="app"></div>
<script type="application/json" id="parex-report">${inlineJson(data)}</script>
<script type="application/json" id="parex-report-workers">${inlineJson(assets.workers)}</script>
<script type="module">${inlineScript(assets.script)}</script>
</body>
</html>
`;
}
