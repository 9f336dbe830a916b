#!/usr/bin/env node
// The `parex` command. In a checkout it runs the TypeScript source through tsx; an installed
// package (which ships dist/ and no src/) runs the bundled build (scripts/bundle-cli.mjs).
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/bundle/main.js", import.meta.url).href);
}
