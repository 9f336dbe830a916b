#!/usr/bin/env node
// Installs parex as a user would (`npm install parex` in a new project) and fails if any package
// of the tree it resolves refuses this Node (npm's EBADENGINE). The checkout's own install cannot
// tell: package.json `overrides` apply only where parex is the root project, never for a user.
// Needs the npm registry; resolves the tree without building anything (--dry-run, --ignore-scripts).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "parex-install-"));
try {
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(work).find((file) => file.endsWith(".tgz"));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${work}`);
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), '{ "name": "user-project", "private": true }\n');
  const install = spawnSync(
    "npm",
    [
      "install",
      join(work, tarball),
      "--engine-strict",
      "--ignore-scripts",
      "--dry-run",
      "--no-audit",
      "--no-fund",
    ],
    { cwd: project, encoding: "utf8" },
  );
  if (install.status !== 0) {
    process.stderr.write(install.stdout + install.stderr);
    process.stderr.write(
      `\ncheck-install: a user's \`npm install parex\` on Node ${process.version} fails or warns ` +
        "(above). Pin the dependency that brings the package in, or raise `engines` in package.json.\n",
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`check-install: a user's install resolves on Node ${process.version}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
