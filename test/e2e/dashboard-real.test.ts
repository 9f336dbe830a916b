import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { RunSummary } from "../../src/core/index.js";
import { buildDashboard, root, screenshotPath } from "./dashboard-fixtures.js";
import {
  chromiumArgs,
  chromiumPath,
  countsOf,
  gantt,
  shownCounts,
  statusesIn,
  taskGraph as graph,
} from "./dashboard-page.js";
import { killStarted, linkPattern, parex, waitsFor } from "./parex-process.js";

// The whole way a developer goes: a real `parex run --dashboard` of real processes, its login
// link opened in Chromium, the page followed while the test decides when each task ends, and
// what the page shows compared with the JSON summary the run itself printed.

/** The files that end the waiting tasks, created by the test. */
const releases = ["compiled", "linted", "audited"];

/**
 * `compile`, `lint` and `audit` start at once and wait for the test; `test` (which fails its
 * first attempt and passes its retry) and `typecheck` follow `compile`; the optional `audit`
 * fails, so `publish`, which needs it, is skipped and the run fails.
 */
const config = {
  concurrency: 3,
  tasks: {
    compile: {
      run: waitsFor("compiled", { first: "compiling 42 modules", then: "built dist/app.js" }),
      group: "build",
    },
    lint: {
      run: waitsFor("linted", { first: "linting 42 files", then: "0 problems" }),
      group: "lint",
    },
    audit: {
      run: waitsFor("audited", {
        first: "auditing 118 packages",
        then: "2 vulnerabilities (1 high)",
        code: 3,
      }),
      group: "security",
      optional: true,
    },
    test: {
      run: "node flaky.mjs",
      dependsOn: ["compile"],
      group: "test",
      retry: { attempts: 2, initialDelayMs: 50 },
    },
    typecheck: {
      run: `node -e "console.log('0 type errors')"`,
      dependsOn: ["compile"],
      group: "typecheck",
    },
    publish: { run: `node -e "console.log('published')"`, dependsOn: ["test", "audit"] },
  },
};

const flaky = `import { existsSync, writeFileSync } from "node:fs";
if (!existsSync(".attempted")) {
  writeFileSync(".attempted", "");
  console.log("first try: 1 test failed");
  process.exit(1);
}
console.log("retry: 12 tests passed");
`;

const trendChart = "[aria-label='Makespan per period: mean, p50, p95, p99']";

describe(
  "the dashboard of a real parex run --dashboard, in Chromium",
  {
    skip:
      !existsSync(chromiumPath) && "Debian's chromium is not installed (apt-get install chromium)",
  },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-dashboard-real-"));
    let browser: Browser | undefined;

    before(async () => {
      // What the CLI serves: dist/dashboard of this checkout, built afresh from the source, as
      // `npm run build:dashboard` does, so that the test never sees a stale build.
      buildDashboard(join(root, "dist", "dashboard"));
      writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config, null, 2));
      writeFileSync(join(dir, "flaky.mjs"), flaky);
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    });

    after(async () => {
      // Whatever failed: the waiting tasks end, then the runner goes.
      for (const file of releases) writeFileSync(join(dir, file), "");
      killStarted();
      await browser?.close();
    });

    it("follows the run from its login link: bars, counters, a log, the runs list and the trends", async () => {
      const run = parex(dir, ["run", "--dashboard", "--dashboard-keep", "--json"]);
      const [line, base = ""] = await run.said(linkPattern);
      const link = line.slice("parex: dashboard: ".length);
      const page = await (browser as Browser).newPage({
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
      });
      page.setDefaultTimeout(30_000);
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const bar = (task: string, status: string) =>
        page.locator(`${gantt} [data-task='${task}'][data-status='${status}']`);

      await page.goto(link);
      for (const task of ["compile", "lint", "audit"]) await bar(task, "running").waitFor();
      const runId = /\/dashboard\/#\/runs\/(run_\w+)$/.exec(page.url())?.[1];
      assert.ok(runId !== undefined, `the login link lands on the live run: ${page.url()}`);
      assert.deepEqual(await statusesIn(page, gantt), {
        compile: "running",
        lint: "running",
        audit: "running",
      });
      await counted(page, { running: "3", waiting: "3", succeeded: "0" });
      await bar("compile", "running").click();
      await page.locator("pre[data-log='live']", { hasText: "compiling 42 modules" }).waitFor();
      await page.screenshot({ path: screenshotPath("dashboard-real-running.png") });
      await page.keyboard.press("Escape");

      writeFileSync(join(dir, "compiled"), "");
      writeFileSync(join(dir, "linted"), "");
      for (const task of ["compile", "lint", "test", "typecheck"])
        await bar(task, "succeeded").waitFor();
      assert.equal(
        await page.locator(`${gantt} [data-task='test']`).getAttribute("data-retried"),
        "true",
      );
      await counted(page, { running: "1", waiting: "1", succeeded: "4" });
      await page.locator(`${graph} [data-task='test'][data-status='succeeded']`).waitFor();
      assert.deepEqual(await statusesIn(page, graph), {
        compile: "succeeded",
        lint: "succeeded",
        audit: "running",
        test: "succeeded",
        typecheck: "succeeded",
        publish: "waiting",
      });
      // No tooltip or focus ring in the picture.
      await page.mouse.move(1, 1);
      await page.locator(`${gantt} [data-task='compile']`).blur();
      await page.screenshot({ path: screenshotPath("dashboard-real-live.png") });
      // The README's picture: `PAREX_SCREENSHOT=1 node --import tsx --test test/e2e/dashboard-real.test.ts`.
      if (process.env["PAREX_SCREENSHOT"] === "1")
        await page.screenshot({ path: join(root, "docs", "images", "dashboard.png") });

      writeFileSync(join(dir, "audited"), "");
      const [json] = await run.saidOn("stdout", /^\{\n[\s\S]*\n\}\n/m);
      const summary = JSON.parse(json) as RunSummary;
      assert.equal(summary.runId, runId);
      assert.deepEqual(Object.fromEntries(summary.tasks.map((t) => [t.id, t.status])), {
        compile: "succeeded",
        lint: "succeeded",
        audit: "failed",
        test: "succeeded",
        typecheck: "succeeded",
        publish: "skipped",
      });
      await page.locator(`[data-run-status='${summary.status}']`).waitFor();
      await page.getByRole("heading", { name: "Bottlenecks" }).waitFor();
      assert.deepEqual(
        await statusesIn(page, gantt),
        Object.fromEntries(
          summary.tasks.filter((t) => t.startMs !== undefined).map((t) => [t.id, t.status]),
        ),
        "a bar per task that started, in its summary's status",
      );
      assert.deepEqual(
        await statusesIn(page, graph),
        Object.fromEntries(summary.tasks.map((t) => [t.id, t.status])),
        "a node per task, in its summary's status",
      );
      assert.deepEqual(
        await shownCounts(page),
        countsOf(summary),
        "the counters are the summary's",
      );
      await page.mouse.move(1, 1);
      await page.screenshot({ path: screenshotPath("dashboard-real-ended.png"), fullPage: true });

      await page.locator(`${gantt} [data-task='test']`).click();
      await page.locator("pre[data-log='file']", { hasText: "retry: 12 tests passed" }).waitFor();
      await page.selectOption("aside.log select", "1");
      await page.locator("pre[data-log='file']", { hasText: "first try: 1 test failed" }).waitFor();
      await page.screenshot({ path: screenshotPath("dashboard-real-log.png") });
      await page.keyboard.press("Escape");

      await page.goto(`${base}/dashboard/#/runs`);
      const listed = page.locator(`[data-run='${runId}']`);
      await listed.locator(`[data-status='${summary.status}']`).waitFor();
      assert.equal(await listed.count(), 1, "the run is listed once");
      await page.screenshot({ path: screenshotPath("dashboard-real-runs.png") });

      await page.goto(`${base}/dashboard/#/trends`);
      await page.locator(trendChart).waitFor();
      const points = Number(await page.locator(trendChart).getAttribute("data-points"));
      assert.ok(points >= 1, `the trend chart has a point, not ${String(points)}`);
      await page.screenshot({ path: screenshotPath("dashboard-real-trends.png"), fullPage: true });

      assert.deepEqual(errors, [], "no error in the page");
      const elsewhere = requests.filter((url) => new URL(url).hostname !== "127.0.0.1");
      assert.deepEqual(elsewhere, [], "no request leaves 127.0.0.1");
      await page.close();

      run.child.kill("SIGINT");
      assert.equal(await run.exited, 1, "a failed run's exit code, after Ctrl-C");
      assert.match(
        run.output().stderr,
        /^parex: dashboard: still at http:\/\/127\.0\.0\.1:\d+\/dashboard\/ \(Ctrl-C to stop\)$/m,
      );
    });
  },
);

/** Waits until each counter named shows its number. */
async function counted(page: Page, counts: Readonly<Record<string, string>>): Promise<void> {
  const checks = Object.entries(counts).map(
    ([status, n]) => `document.querySelector("[data-count='${status}']")?.textContent === "${n}"`,
  );
  await page.waitForFunction(checks.join(" && "));
}
