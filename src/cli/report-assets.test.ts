import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempDirs } from "../testing/index.js";
import { UsageError } from "./args.js";
import { readReportAssets } from "./report-assets.js";

const dirs = tempDirs("parex-report-assets-");
after(() => dirs.removeAll());

/** A dashboard build as Vite leaves it: `files` by path, and its manifest. */
function build(manifest: unknown, files: Readonly<Record<string, string>>): string {
  const dir = dirs.make();
  mkdirSync(join(dir, ".vite"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, ".vite", "manifest.json"), JSON.stringify(manifest));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

const manifest = {
  "index.html": {
    file: "assets/index-1.js",
    isEntry: true,
    css: ["assets/index-2.css"],
    assets: ["assets/layout-worker-3.js"],
  },
  "_worker_assets/layout-worker-3.js": {
    file: "assets/layout-worker-3.js",
    name: "layout-worker",
    isWorker: true,
  },
};

const fix =
  "Build the dashboard with `npm run build` (or `npm run build:dashboard`) in the parex checkout, or drop --report.";

describe("the report's assets", () => {
  it("are the page's script, its styles and each worker by name, as the manifest names them", () => {
    const dir = build(manifest, {
      "assets/index-1.js": "page()",
      "assets/index-2.css": "body{}",
      "assets/layout-worker-3.js": "layout()",
    });
    assert.deepEqual(readReportAssets(dir), {
      script: "page()",
      styles: ["body{}"],
      workers: { "layout-worker": "layout()" },
    });
  });

  it("are refused with the fix when the dashboard was never built", () => {
    const dir = join(dirs.make(), "dashboard");
    assert.throws(
      () => readReportAssets(dir),
      new UsageError(
        `parex run: --report writes the dashboard's run view, and ${join(dir, ".vite/manifest.json")} is missing. ${fix}`,
      ),
    );
  });

  it("are refused with the fix when a file the manifest names is gone", () => {
    const dir = build(manifest, { "assets/index-1.js": "page()", "assets/index-2.css": "" });
    assert.throws(
      () => readReportAssets(dir),
      new UsageError(
        `parex run: --report writes the dashboard's run view, and ${join(dir, "assets/layout-worker-3.js")} is missing. ${fix}`,
      ),
    );
  });

  it("are refused when the build has no workers (one from before the report needed them)", () => {
    const dir = build({ "index.html": manifest["index.html"] }, { "assets/index-1.js": "" });
    assert.throws(
      () => readReportAssets(dir),
      new UsageError(
        `parex run: --report writes the dashboard's run view, and ${join(dir, ".vite/manifest.json")} names no page or no workers. ${fix}`,
      ),
    );
  });
});
