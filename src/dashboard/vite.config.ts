// Builds the dashboard (src/dashboard) into dist/dashboard/, served by `parex serve` at /dashboard/.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "/dashboard/",
  // JSX through Vite's own transform (no Babel preset): automatic runtime from preact.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    // .vite/manifest.json: which files are the page's script, its styles and each worker, for
    // `parex run --report`, which writes them all into one HTML file (src/report/report-page.ts).
    manifest: true,
  },
  // Plain scripts, not modules: the report starts its workers from blob URLs, and Chromium
  // refuses module workers from those in a page opened from file://.
  worker: { format: "iife" },
  logLevel: "info",
});
