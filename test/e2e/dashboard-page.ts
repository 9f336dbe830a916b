import assert from "node:assert/strict";
// The browser the tests drive (Debian's Chromium), and reading the dashboard in it: what the
// tests compare with a run's summary.
import type { Page } from "playwright-core";
import type { RunSummary } from "../../src/core/index.js";

export const chromiumPath = "/usr/bin/chromium";
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const statuses = [
  "waiting",
  "queued",
  "running",
  "retrying",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
];

/** Each status's count of a summary's tasks, every status present. */
export function countsOf(summary: RunSummary): Record<string, string> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0]));
  for (const task of summary.tasks) counts[task.status] = (counts[task.status] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([s, n]) => [s, String(n)]));
}

/** What the tests read of an element in the page (this config has no DOM types). */
export interface Shown {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

/** The counters as the page shows them. */
export async function shownCounts(page: Page): Promise<Record<string, string>> {
  const entries = await page
    .locator("[data-count]")
    .evaluateAll((nodes: Shown[]) =>
      nodes.map((n) => [n.getAttribute("data-count") ?? "", n.textContent ?? ""]),
    );
  return Object.fromEntries(entries) as Record<string, string>;
}

/** data-status of each element carrying data-task under `scope`, by task. */
export async function statusesIn(page: Page, scope: string): Promise<Record<string, string>> {
  const entries = await page
    .locator(`${scope} [data-task]`)
    .evaluateAll((nodes: Shown[]) =>
      nodes.map((n) => [n.getAttribute("data-task") ?? "", n.getAttribute("data-status") ?? ""]),
    );
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The Gantt chart's selector. */
export const gantt = "svg[aria-label^='Gantt']";

/** The task graph's selector. */
export const taskGraph = "svg[aria-label^='Task graph']";

/**
 * Checks that a page shows a finished run as its summary says: a Gantt bar per task that
 * started and a graph node per task, each in its status, the counters, and the critical path
 * outlined.
 */
export async function assertRunShown(page: Page, summary: RunSummary): Promise<void> {
  await page.locator(`${taskGraph} [data-task]`).first().waitFor();
  const started = summary.tasks.filter((t) => t.startMs !== undefined);
  assert.deepEqual(
    await statusesIn(page, gantt),
    Object.fromEntries(started.map((t) => [t.id, t.status])),
    "a bar per task that started, in its status",
  );
  assert.deepEqual(
    await statusesIn(page, taskGraph),
    Object.fromEntries(summary.tasks.map((t) => [t.id, t.status])),
    "a node per task, in its status",
  );
  assert.deepEqual(await shownCounts(page), countsOf(summary));
  const critical = await page
    .locator(`${gantt} [data-critical]`)
    .evaluateAll((nodes: Shown[]) => nodes.map((n) => n.getAttribute("data-task") ?? ""));
  assert.deepEqual(critical.sort(), [...summary.criticalPath].sort());
}
