import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { analyze, buildGraph, graphOutline, insight, summarize } from "../core/index.js";
import { recordedRun } from "../testing/index.js";
import { renderReportPage } from "./report-page.js";

// An id that tries to end the data's element and start a script of its own.
const sly = "</script><script>alert(1)</script><!--";
const graph = buildGraph([
  { id: "build", run: 0, group: "build" },
  { id: sly, run: 0, dependsOn: ["build"] },
]);
const result = recordedRun({ concurrency: 2, tasks: { build: [0, 0, 100], [sly]: [1, 100, 300] } });
const analysis = analyze(graph, result);
const summary = summarize(result, analysis, insight(graph, result, analysis));
const outline = graphOutline(graph, { concurrency: 2, estimates: new Map([["build", 90]]) });

/** The text of the first element opened by `open`, up to the `</script>` that ends it. */
function element(html: string, open: string): string {
  const start = html.indexOf(open);
  assert.notEqual(start, -1, `${open} is in the page`);
  const from = start + open.length;
  return html.slice(from, html.indexOf("</script>", from));
}

describe("the HTML report's page", () => {
  const script = 'const s = "</script><!--<script>"; globalThis.seen = s;';
  const html = renderReportPage({
    assets: {
      script,
      styles: ["a::after{content:'</style>'}"],
      workers: { "layout-worker": "postMessage('</script>')" },
    },
    summary,
    graph: outline,
  });

  it("holds the run and its graph as the read API serves them, whatever the ids hold", () => {
    const data = JSON.parse(
      element(html, '<script type="application/json" id="parex-report">'),
    ) as unknown;
    assert.deepEqual(data, {
      run: { runId: "run_1", status: "succeeded", startedAt: summary.startedAt, summary },
      graph: {
        runId: "run_1",
        concurrency: 2,
        tasks: [
          { id: "build", dependsOn: [], group: "build", estimateMs: 90 },
          { id: sly, dependsOn: ["build"] },
        ],
      },
    });
  });

  it("holds each worker's code by name", () => {
    const workers = JSON.parse(
      element(html, '<script type="application/json" id="parex-report-workers">'),
    ) as unknown;
    assert.deepEqual(workers, { "layout-worker": "postMessage('</script>')" });
  });

  it("inlines the page's script so that it ends where it should and means the same", () => {
    const inlined = element(html, '<script type="module">');
    assert.doesNotMatch(inlined, /<!--|<\/script/i);
    const scope: { seen?: string } = {};
    runInNewContext(inlined, scope);
    assert.equal(scope.seen, "</script><!--<script>");
  });

  it("inlines the styles without ending their element early", () => {
    assert.match(html, /<style>a::after\{content:'<\\\/style>'\}<\/style>/);
  });

  it("names the run in its title, and asks for nothing over the network", () => {
    assert.match(html, /<title>parex run_1 · succeeded<\/title>/);
    assert.doesNotMatch(html, /\b(src|href)="(?!data:)/);
  });
});
