import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function fixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `parex-${name}-`));
  cpSync(new URL(`../fixtures/${name}`, import.meta.url), dir, { recursive: true });
  return dir;
}

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const order = (dir: string): string[] =>
  readFileSync(join(dir, "order.log"), "utf8").trim().split("\n");

describe("workspaces (end to end)", () => {
  it("runs build and test in every npm workspace package, dependencies' builds first, with zero config", () => {
    const dir = fixture("npm-monorepo");
    const { code, stderr } = parex(join(dir, "packages", "b"), [
      "run",
      "build",
      "test",
      "--workspaces",
      "-j",
      "1",
      "--output",
      "none",
    ]);
    assert.equal(code, 0, stderr);
    const lines = order(dir);
    assert.deepEqual([...lines].sort(), [
      "build a",
      "build b",
      "build c",
      "build d",
      "postbuild d",
      "prebuild @demo/d 2.1.0",
      "test a",
      "test b",
    ]);
    assert.ok(lines.indexOf("build a") < lines.indexOf("build b"));
    assert.ok(lines.indexOf("build b") < lines.indexOf("build c"), "devDependencies count too");
    assert.ok(
      lines.indexOf("build c") < lines.indexOf("prebuild @demo/d 2.1.0"),
      "d → m (no build, optional) → c (peer): d waits for c's build",
    );
    assert.ok(lines.indexOf("test a") < lines.indexOf("test b"), "^test: upstream tests first");
  });

  it("filters packages by name, keeping what they depend on", () => {
    const dir = fixture("npm-monorepo");
    const { code } = parex(dir, [
      "run",
      "build",
      "--workspaces",
      "--filter",
      "@demo/b",
      "--output",
      "none",
    ]);
    assert.equal(code, 0);
    assert.deepEqual(order(dir), ["build a", "build b"]);
  });

  it("puts the package's node_modules/.bin on PATH and runs the script directly", () => {
    const dir = fixture("npm-monorepo");
    const binDir = join(dir, "packages", "c", "node_modules", ".bin");
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, "hello-bin"), "#!/bin/sh\necho hello from bin $npm_package_name\n");
    chmodSync(join(binDir, "hello-bin"), 0o755);
    const { code, stderr } = parex(dir, [
      "run",
      "@demo/c#greet",
      "--workspaces",
      "--output",
      "none",
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(dir), ["hello from bin @demo/c"]);
  });

  it("reads pnpm-workspace.yaml and the workspace: protocol, and runs no hooks under pnpm 8", () => {
    const dir = fixture("pnpm-monorepo");
    const { code, stdout, stderr } = parex(dir, ["run", "build", "--workspaces"]);
    assert.equal(code, 0, stdout + stderr);
    // web → ui (no build) → core: web's build reads core's output.
    assert.deepEqual(order(dir), ["build core", "build web"]);
    assert.match(stdout, /✔ web#build succeeded/);
  });

  it("follows a pipeline in the config, and prints the workspace graph", () => {
    const dir = fixture("npm-monorepo");
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({
        pipeline: { build: { dependsOn: ["^build"] }, test: { dependsOn: ["build"] } },
      }),
    );
    const graph = parex(dir, ["graph", "test", "--format", "json"]);
    assert.equal(graph.code, 0, graph.stderr);
    const { tasks } = JSON.parse(graph.stdout) as { tasks: { id: string; dependsOn: string[] }[] };
    assert.deepEqual(tasks.find((t) => t.id === "@demo/b#test")?.dependsOn, ["@demo/b#build"]);
    assert.deepEqual(tasks.find((t) => t.id === "@demo/b#build")?.dependsOn, ["@demo/a#build"]);
  });

  it("runs one package's script and what it depends on, named as pkg#script, whatever the filter", () => {
    const dir = fixture("npm-monorepo");
    const { code, stderr } = parex(dir, [
      "run",
      "@demo/b#build",
      "--workspaces",
      "--filter",
      "@demo/c",
      "--output",
      "none",
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(dir), ["build a", "build b"]);
  });
});

describe("workspaces: names that stand for no task", () => {
  it("names the script and the nearest one, and mentions no --filter when none was given", () => {
    const dir = fixture("npm-monorepo");
    const { code, stdout, stderr } = parex(dir, ["plan", "biuld", "--workspaces"]);
    assert.deepEqual(
      { code, stdout, stderr },
      {
        code: 2,
        stdout: "",
        stderr: `parex: No workspace package has a script "biuld". Did you mean "build"?\n`,
      },
    );
  });

  it("refuses --filter in a run without workspaces rather than ignoring it", () => {
    const dir = fixture("npm-monorepo");
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks: { hello: "true" } }));
    const { code, stderr } = parex(dir, ["run", "--filter", "@demo/b"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `parex: --filter @demo/b selects workspace packages, and this run reads none: add --workspaces, or "workspaces": true to parex.config.json.\n`,
    );
  });
});

/** Each task's dependencies in `parex graph --format json`. */
function graphOf(dir: string, args: string[]): Map<string, string[]> {
  const { code, stdout, stderr } = parex(dir, ["graph", ...args, "--format", "json"]);
  assert.equal(code, 0, stderr);
  const { tasks } = JSON.parse(stdout) as { tasks: { id: string; dependsOn: string[] }[] };
  return new Map(tasks.map((task) => [task.id, task.dependsOn]));
}

describe("workspaces: a package without the script between two that have it", () => {
  it("npm: d's build waits for c's, behind m, in the graph, the plan and the run", () => {
    const dir = fixture("npm-monorepo");
    assert.deepEqual(graphOf(dir, ["build", "--workspaces"]).get("@demo/d#build"), [
      "@demo/c#build",
    ]);
    const filter = ["build", "--workspaces", "--filter", "@demo/d"];
    const plan = parex(dir, ["plan", ...filter, "--json"]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.deepEqual((JSON.parse(plan.stdout) as { waves: string[][] }).waves, [
      ["@demo/a#build"],
      ["@demo/b#build"],
      ["@demo/c#build"],
      ["@demo/d#build"],
    ]);
    // The filter leaves m out and pulls in c (and what c needs); d's build reads c's output.
    const { code, stderr } = parex(dir, ["run", ...filter, "-j", "4", "--output", "none"]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(dir), [
      "build a",
      "build b",
      "build c",
      "prebuild @demo/d 2.1.0",
      "build d",
      "postbuild d",
    ]);
  });

  it("yarn 1 (workspaces.packages): the same wait, and pre/post hooks run", () => {
    const dir = fixture("npm-monorepo");
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        private: true,
        workspaces: { packages: ["packages/*"] },
        packageManager: "yarn@1.22.22",
      }),
    );
    writeFileSync(join(dir, "yarn.lock"), "# yarn lockfile v1\n");
    const { code, stderr } = parex(dir, [
      "run",
      "build",
      "--workspaces",
      "--filter",
      "@demo/d",
      "-j",
      "4",
      "--output",
      "none",
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(dir).slice(-3), ["prebuild @demo/d 2.1.0", "build d", "postbuild d"]);
    assert.deepEqual(graphOf(dir, ["build", "--workspaces"]).get("@demo/d#build"), [
      "@demo/c#build",
    ]);
  });

  it("pnpm: web's build waits for core's behind ui, and hooks run once .npmrc enables them", () => {
    const dir = fixture("pnpm-monorepo");
    assert.deepEqual(graphOf(dir, ["build", "--workspaces"]).get("web#build"), ["core#build"]);
    writeFileSync(join(dir, ".npmrc"), "enable-pre-post-scripts=true\n");
    const { code, stderr } = parex(dir, ["run", "web#build", "--workspaces", "--output", "none"]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(dir), ["prebuild core", "build core", "build web"]);
  });
});
