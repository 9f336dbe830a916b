import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Command } from "../core/index.js";
import { packageScript } from "./package-script.js";
import type { WorkspacePackage } from "./workspaces.js";

function pkg(scripts: Record<string, string>): WorkspacePackage {
  const dir = mkdtempSync(join(tmpdir(), "parex-script-"));
  return { name: "@t/a", dir, scripts, dependencies: [], manifest: { name: "@t/a" } };
}

const context = (runsHooks: boolean) => ({
  manager: { name: "npm" as const, runsHooks },
  initCwd: "/somewhere",
  path: process.env["PATH"] ?? "",
});

/** Runs the command as the process executor does: a string through `sh -c`, env added. */
function run(command: Command): { status: number | null; stdout: string } {
  const result = spawnSync("sh", ["-c", String(command.command)], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout };
}

describe("packageScript", () => {
  it("runs a script with no hooks as it is", () => {
    const command = packageScript(pkg({ build: "tsc -p ." }), "build", context(true));
    assert.equal(command.command, "tsc -p .");
  });

  it("runs each hook with its own lifecycle variables, quotes and all, stopping at a failure", () => {
    const scripts = {
      prebuild: `printf '%s\\n' "$npm_lifecycle_event: $npm_lifecycle_script"`,
      build: "printf '%s\\n' \"it's $npm_lifecycle_event\" '$HOME stays'",
      postbuild: "echo $npm_lifecycle_event; exit 4",
    };
    const { status, stdout } = run(packageScript(pkg(scripts), "build", context(true)));
    assert.equal(status, 4);
    assert.equal(stdout, `prebuild: ${scripts.prebuild}\nit's build\n$HOME stays\npostbuild\n`);
    const failing = { ...scripts, prebuild: "echo pre; exit 3" };
    assert.deepEqual(run(packageScript(pkg(failing), "build", context(true))), {
      status: 3,
      stdout: "pre\n",
    });
  });

  it("runs no hooks when the package manager does not", () => {
    const scripts = { prebuild: "echo pre", build: "echo $npm_lifecycle_event" };
    assert.deepEqual(run(packageScript(pkg(scripts), "build", context(false))), {
      status: 0,
      stdout: "build\n",
    });
  });
});
