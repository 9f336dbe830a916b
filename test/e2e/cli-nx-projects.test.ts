import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { bin, gitProject, ranLog, runJson } from "./cached-projects.js";

/**
 * An Nx-shaped workspace: nx.json's targetDefaults cache `build` into `{projectRoot}/dist`;
 * core's project.json says its build writes `out/` instead and waits for its `gen`; web (which
 * depends on core) says nothing of its own.
 */
function nxWorkspace(note: (id: string) => string): string {
  return gitProject({
    "package.json": { private: true, workspaces: ["packages/*"] },
    ".gitignore": "dist/\nout/\n.parex/\n",
    "nx.json": {
      targetDefaults: {
        build: { dependsOn: ["^build"], outputs: ["{projectRoot}/dist"], cache: true },
      },
    },
    "packages/core/package.json": {
      name: "core",
      scripts: {
        gen: note("core#gen"),
        build: `${note("core#build")} && mkdir -p out && echo core > out/core.txt`,
      },
    },
    "packages/core/project.json": {
      targets: { build: { outputs: ["{projectRoot}/out"], dependsOn: ["...", "gen"] } },
    },
    "packages/core/src/index.txt": "core\n",
    "packages/web/package.json": {
      name: "web",
      dependencies: { core: "*" },
      scripts: {
        build: `${note("web#build")} && mkdir -p dist && cp ../core/out/core.txt dist/web.txt`,
      },
    },
  });
}

/** `parex run --dry --json ARGS`: what each task waits for. */
function waitsFor(dir: string, args: string[]): Record<string, readonly string[]> {
  const result = spawnSync(process.execPath, [bin, "run", "--dry", "--json", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  assert.equal(result.status, 0, result.stderr);
  const { tasks } = JSON.parse(result.stdout) as {
    tasks: { id: string; dependsOn: readonly string[] }[];
  };
  return Object.fromEntries(tasks.map((task) => [task.id, [...task.dependsOn].sort()]));
}

describe("Nx project configuration and ../ inputs (end to end)", () => {
  it("orders by a project.json dependsOn and restores its outputs on a hit", () => {
    const ran = ranLog();
    const dir = nxWorkspace(ran.note);
    assert.deepEqual(waitsFor(dir, ["build", "--workspaces"]), {
      "core#build": ["core#gen"],
      "core#gen": [],
      "web#build": ["core#build"],
    });
    const first = runJson(dir, ["build", "--workspaces"]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(ran.take(), ["core#build", "core#gen", "web#build"]);
    assert.deepEqual(first.cacheOf, {
      "core#gen": "off",
      "core#build": "miss",
      "web#build": "miss",
    });
    rmSync(join(dir, "packages/core/out"), { recursive: true });
    rmSync(join(dir, "packages/web/dist"), { recursive: true });
    const second = runJson(dir, ["build", "--workspaces"]);
    assert.deepEqual(second.cacheOf, {
      "core#gen": "off",
      "core#build": "hit",
      "web#build": "hit",
    });
    // gen is not cached (nx.json says nothing of it), so it runs; the builds do not.
    assert.deepEqual(ran.take(), ["core#gen"]);
    assert.equal(readFileSync(join(dir, "packages/core/out/core.txt"), "utf8"), "core\n");
    assert.equal(readFileSync(join(dir, "packages/web/dist/web.txt"), "utf8"), "core\n");
  });

  it("misses a task whose turbo.json input names a root file with ../ when that file changes", () => {
    const ran = ranLog();
    const dir = gitProject({
      "package.json": { private: true, workspaces: ["packages/*"] },
      ".gitignore": ".parex/\n",
      "tsconfig.base.json": "{}\n",
      "README.md": "a workspace\n",
      "turbo.json": {
        tasks: { build: { inputs: ["src/**", "../../tsconfig.base.json"] }, lint: {} },
      },
      "packages/core/package.json": {
        name: "core",
        scripts: { build: ran.note("core#build"), lint: ran.note("core#lint") },
      },
      "packages/core/src/index.txt": "core\n",
    });
    const run = () => runJson(dir, ["build", "lint", "--workspaces"]).cacheOf;
    assert.deepEqual(run(), { "core#build": "miss", "core#lint": "miss" });
    writeFileSync(join(dir, "README.md"), "a workspace, changed\n");
    assert.deepEqual(run(), { "core#build": "hit", "core#lint": "hit" });
    writeFileSync(join(dir, "tsconfig.base.json"), '{ "strict": true }\n');
    assert.deepEqual(run(), { "core#build": "miss", "core#lint": "hit" });
    assert.deepEqual(ran.take(), ["core#build", "core#build", "core#lint"]);
  });

  it("runs a project's nx:run-commands target, script or not: its commands at once, a failure failing it", () => {
    const ran = ranLog();
    const dir = gitProject({
      "package.json": { private: true, workspaces: ["packages/*"] },
      ".gitignore": ".parex/\ndist/\n",
      "nx.json": {
        targetDefaults: {
          build: { dependsOn: ["^build"], outputs: ["{projectRoot}/dist"], cache: true },
        },
      },
      "packages/core/package.json": { name: "core" },
      "packages/core/project.json": {
        targets: {
          build: {
            executor: "nx:run-commands",
            options: {
              commands: [
                `${ran.note("core#build:a")} && mkdir -p dist && echo a > dist/a.txt`,
                `${ran.note("core#build:b")} && mkdir -p dist && echo "$MODE" > dist/b.txt`,
              ],
              cwd: "{projectRoot}",
              env: { MODE: "prod" },
            },
          },
          check: { command: `${ran.note("core#check")} && exit 3` },
        },
      },
      "packages/web/package.json": {
        name: "web",
        dependencies: { core: "*" },
        scripts: { build: ran.note("web#build") },
      },
    });
    const built = runJson(dir, ["build", "--workspaces"]);
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(ran.take(), ["core#build:a", "core#build:b", "web#build"]);
    assert.equal(readFileSync(join(dir, "packages/core/dist/b.txt"), "utf8"), "prod\n");
    assert.deepEqual(waitsFor(dir, ["build", "--workspaces"]), {
      "core#build": [],
      "web#build": ["core#build"],
    });
    rmSync(join(dir, "packages/core/dist"), { recursive: true });
    assert.deepEqual(runJson(dir, ["build", "--workspaces"]).cacheOf, {
      "core#build": "hit",
      "web#build": "hit",
    });
    assert.equal(readFileSync(join(dir, "packages/core/dist/a.txt"), "utf8"), "a\n");
    const checked = runJson(dir, ["check", "--workspaces"]);
    assert.equal(checked.code, 1);
    assert.deepEqual(
      checked.summary.tasks.map((task) => [task.id, task.status]),
      [["core#check", "failed"]],
    );
  });
});
