#!/usr/bin/env node
// Bundles the CLI into dist/bundle/: one file per command (loaded when that command runs) and
// the modules they share, instead of ~80 modules resolved and compiled one by one. That is
// ~25 ms of every `parex` start (docs/benchmarks.md). Packages stay external: they are
// dependencies, installed beside it. All but better-sqlite3's JavaScript: its dozen small
// modules, loaded one by one, made a run with history ~10 ms slower to start (docs/benchmarks.md,
// "The CLI from outside"). It is pinned to one version in package.json, so that this JavaScript
// and the addon installed beside it match. picomatch too: its CommonJS modules, resolved and
// compiled one by one, were ~30 ms of CPU in a run of six cache hits (dist/ab-* bundles timed
// alternately, 15 runs each, user+sys medians 360 vs 330 ms); its bundled copy needs nothing
// installed, so the range in package.json (kept for the library's own imports) may float.
// Run by `npm run build`, after tsc; `node scripts/bundle-cli.mjs DIR` bundles into DIR instead.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const { dependencies } = JSON.parse(readFileSync("package.json", "utf8"));
const bundled = ["better-sqlite3", "bindings", "file-uri-to-path", "picomatch"];
const external = Object.keys(dependencies)
  .filter((name) => !bundled.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

// Chunk names carry a hash: without this, old chunks would pile up beside the new ones.
const outdir = process.argv[2] ?? "dist/bundle";
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ["src/cli/main.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // better-sqlite3 is CommonJS and calls require(); in an ES module, require is made.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
