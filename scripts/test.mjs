#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's test runner through tsx.
// (Node 20's --test does not expand globs; this does, and passes any extra arguments on.)
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const roots = ["src", "test"];
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((file) => join(root, String(file))))
  .filter((file) => file.endsWith(".test.ts") && !file.includes("node_modules"))
  .sort();

const args = [
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  ...process.argv.slice(2),
  ...files,
];
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
process.exit(result.status ?? 1);
