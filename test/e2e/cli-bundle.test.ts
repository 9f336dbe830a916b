import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

// The bundled CLI is what an installed parex runs (bin/parex.js without src/), and what the
// benchmarks measure; a checkout runs the source. This builds the bundle afresh and runs it.
const root = fileURLToPath(new URL("../..", import.meta.url));
// Inside the checkout, so that its imports of packages resolve to node_modules.
const out = join(root, "node_modules", ".cache", `parex-bundle-test-${process.pid}`);

describe("the bundled CLI (scripts/bundle-cli.mjs)", () => {
  after(() => rmSync(out, { recursive: true, force: true }));

  it("runs and keeps history with the better-sqlite3 it bundles", () => {
    execFileSync(process.execPath, [join(root, "scripts", "bundle-cli.mjs"), out], { cwd: root });
    const dir = mkdtempSync(join(tmpdir(), "parex-bundle-"));
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({ tasks: { hello: { run: "echo hello" } } }),
    );
    const parex = (...args: string[]) =>
      spawnSync(process.execPath, [join(out, "main.js"), ...args], { cwd: dir, encoding: "utf8" });
    const run = parex("run", "--output", "none");
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /history disabled/);
    const history = parex("history", "--json");
    assert.equal(history.status, 0, history.stderr);
    const runs = JSON.parse(history.stdout) as { status: string; tasks: number }[];
    assert.deepEqual(
      runs.map((r) => [r.status, r.tasks]),
      [["succeeded", 1]],
    );
  });
});
