import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chromiumArgs, chromiumPath } from "./dashboard-page.js";

const root = new URL("../../", import.meta.url).pathname;

describe("HTML report in a real browser", () => {
  it("renders the run readably, offline: Gantt lanes, critical path, graph, metrics, tasks", async (t) => {
    if (!existsSync(chromiumPath)) {
      t.skip("Debian's chromium is not installed (.ci/run installs it)");
      return;
    }
    const { chromium } = await import("playwright-core");
    const out = mkdtempSync(join(tmpdir(), "parex-report-"));
    const report = join(out, "report.html");
    const run = spawnSync(
      process.execPath,
      [`${root}bin/parex.js`, "run", "--output", "none", "--no-history", "--report", report],
      {
        cwd: `${root}examples/dce-domains`,
        encoding: "utf8",
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(`file://${report}`);
      assert.match(await page.title(), /^parex run_/);
      assert.deepEqual(requests, [`file://${report}`], "self-contained: nothing else is fetched");
      assert.equal(await page.locator("svg[aria-label=timeline] rect").count(), 6);
      const outlined = await page
        .locator('svg[aria-label=timeline] rect[stroke="#1c7ed6"]')
        .count();
      assert.equal(outlined, 2, "call → call-routes, the critical path, is outlined");
      assert.equal(await page.locator("svg[aria-label='task graph'] rect").count(), 6);
      assert.ok(await page.locator("td", { hasText: "call-routes" }).isVisible());
      for (const text of ["makespan", "speedup", "lower bound", "Scalability"]) {
        assert.ok(
          await page.getByText(text, { exact: false }).first().isVisible(),
          `${text} is visible`,
        );
      }
      const boxes = await page
        .locator("svg[aria-label=timeline] text")
        .evaluateAll(
          (nodes) =>
            nodes
              .map((node) =>
                (node as unknown as { getBBox(): { x: number; width: number } }).getBBox(),
              )
              .filter((box) => box.x + box.width > 1100).length,
        );
      assert.equal(boxes, 0, "no axis label runs off the chart");
      const shot = join(out, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 20_000, "the screenshot has content");
    } finally {
      await browser.close();
    }
  });
});
