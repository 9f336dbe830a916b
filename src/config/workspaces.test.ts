import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { discoverWorkspaces } from "./workspaces.js";

/** A workspace root with the given root package.json and packages (dir → package.json). */
function workspace(root: object, packages: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-discover-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify(root));
  for (const [path, manifest] of Object.entries(packages)) {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, "package.json"), JSON.stringify(manifest));
  }
  return dir;
}

describe("discoverWorkspaces", () => {
  it("reads every kind of dependency, and a workspace: alias as the package it stands for", async () => {
    const dir = workspace(
      { workspaces: { packages: ["packages/*"] } },
      {
        "packages/app": {
          name: "app",
          dependencies: { "ui-kit": "workspace:@demo/ui@^1.0.0", react: "^18" },
          devDependencies: { lib: "workspace:*" },
          peerDependencies: { peer: "*" },
          optionalDependencies: { opt: "1.0.0" },
          scripts: { build: "tsc", broken: 42 },
        },
      },
    );
    const packages = await discoverWorkspaces(dir);
    assert.deepEqual(
      packages.map((p) => [p.name, p.dependencies, p.scripts]),
      [["app", ["@demo/ui", "react", "lib", "peer", "opt"], { build: "tsc" }]],
    );
  });
});
