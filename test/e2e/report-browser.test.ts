import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import type { RunSummary } from "../../src/core/index.js";
import { buildDashboard, everyOutcome, root, screenshotPath } from "./dashboard-fixtures.js";
import { assertRunShown, chromiumArgs, chromiumPath, gantt } from "./dashboard-page.js";

/** The run the report holds, as the page reads it. */
interface Embedded {
  readonly run: { readonly runId: string; readonly summary: RunSummary };
  readonly graph: { readonly tasks: readonly { readonly id: string }[] };
}

function embedded(html: string): Embedded {
  const open = '<script type="application/json" id="parex-report">';
  const from = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(from, html.indexOf("</script>", from))) as Embedded;
}

describe(
  "the HTML report in a real browser",
  {
    skip:
      !existsSync(chromiumPath) && "Debian's chromium is not installed (apt-get install chromium)",
  },
  () => {
    let report: string;
    let summary: RunSummary;
    let browser: Browser;

    before(async () => {
      // The report inlines this build: the test's own, so that it never reads one being rebuilt.
      const assets = buildDashboard();
      const dir = everyOutcome();
      report = join(dir, "report.html");
      const run = spawnSync(
        process.execPath,
        [`${root}bin/parex.js`, "run", "--continue", "--json", "--output", "none"].concat([
          "--report",
          "report.html",
        ]),
        { cwd: dir, encoding: "utf8", env: { ...process.env, PAREX_DASHBOARD_DIR: assets } },
      );
      assert.equal(run.status, 1, run.stderr);
      summary = JSON.parse(run.stdout) as RunSummary;
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    });

    after(async () => {
      await browser.close();
    });

    it("holds the run's summary and its graph, as the read API would serve them", () => {
      const data = embedded(readFileSync(report, "utf8"));
      assert.deepEqual(data.run.summary, summary);
      assert.deepEqual(
        data.graph.tasks.map((t) => t.id),
        ["build", "lint", "test", "audit", "publish"],
      );
    });

    it("is the dashboard's run view of the run, from file:// with no request going out", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      // Every request the browser would send anywhere, the file itself excepted, is refused.
      const refused: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url === `file://${report}`) return route.continue();
        refused.push(url);
        return route.abort();
      });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`file://${report}`);
      assert.equal(await page.title(), `parex ${summary.runId} · failed`);
      await assertRunShown(page, summary);
      for (const heading of [
        "Throughput: tasks per second",
        "Parallel efficiency vs ideal",
        "Bottlenecks",
        "Per group: sequential vs parallel",
        "Spawn overhead",
        "Quality gates and alerts",
        "Tasks",
      ]) {
        assert.ok(
          await page.getByRole("heading", { name: heading, exact: true }).isVisible(),
          `the ${heading} panel is there`,
        );
      }
      assert.equal(
        await page.locator("table[data-tasks] [data-task-row]").count(),
        summary.tasks.length,
      );
      assert.equal(await page.getByRole("navigation").count(), 0, "no runs, trends or services");
      assert.equal(await page.getByRole("heading", { name: "Event stream" }).count(), 0);

      // A failed task's "log": the last lines its summary kept.
      await page.locator(`${gantt} [data-task='audit']`).click();
      const log = page.locator("aside[data-log-task='audit']");
      assert.equal(await log.locator("pre[data-log='lines']").textContent(), "2 vulnerabilities");
      assert.match((await log.textContent()) ?? "", /\.parex\/logs\/run_/);
      await page.keyboard.press("Escape");
      await log.waitFor({ state: "detached" });

      // A click on the top bar: no tooltip, no focus ring in the picture.
      await page.mouse.click(4, 4);
      const shot = screenshotPath("report.png");
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 20_000, "the screenshot has content");
      assert.deepEqual(errors, []);
      assert.deepEqual(refused, [], "nothing asked for but the file");
      assert.deepEqual(
        requests.filter((url) => url !== `file://${report}` && !url.startsWith("blob:")),
        [],
        "the page itself, and its two workers from blob: URLs, nothing else",
      );
      await page.close();
    });
  },
);
