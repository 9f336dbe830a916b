import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ReportAssets } from "../report/index.js";
import { UsageError } from "./args.js";
import { dashboardManifest } from "./dashboard-dir.js";
import type { ManifestEntry } from "./dashboard-dir.js";

/**
 * The built dashboard's script, styles and workers in `dir` (dist/dashboard), as the HTML
 * report inlines them, found through the manifest Vite writes beside them
 * (src/dashboard/vite.config.ts). Read before the run, so that a checkout without the build
 * fails at once, not after its tasks ran: a UsageError (exit code 2) naming the fix.
 */
export function readReportAssets(dir: string): ReportAssets {
  const missing = (what: string): UsageError =>
    new UsageError(
      `parex run: --report writes the dashboard's run view, and ${what}. Build the dashboard with \`npm run build\` (or \`npm run build:dashboard\`) in the parex checkout, or drop --report.`,
    );
  const read = (file: string): string => {
    try {
      return readFileSync(join(dir, file), "utf8");
    } catch {
      throw missing(`${join(dir, file)} is missing`);
    }
  };
  let entries: readonly ManifestEntry[];
  try {
    entries = dashboardManifest(dir);
  } catch (error) {
    throw missing((error as Error).message);
  }
  const page = entries.find((entry) => entry.isEntry === true);
  const workers = entries.filter((entry) => entry.isWorker === true);
  if (page === undefined || workers.length === 0) {
    throw missing(`${join(dir, ".vite/manifest.json")} names no page or no workers`);
  }
  return {
    script: read(page.file),
    styles: (page.css ?? []).map(read),
    workers: Object.fromEntries(workers.map((w) => [w.name ?? w.file, read(w.file)])),
  };
}
