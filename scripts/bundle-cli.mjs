#!/usr/bin/env node
// Bundles the CLI into dist/bundle/: one file per command (loaded when that command runs) and
// the modules they share, instead of ~80 modules resolved and compiled one by one. That is
// ~25 ms of every `parex` start (docs/benchmarks.md). Packages stay external: they are
// dependencies, installed beside it. Run by `npm run build`, after tsc.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a hash: without this, old chunks would pile up beside the new ones.
rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
