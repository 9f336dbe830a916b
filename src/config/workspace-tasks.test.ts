import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PipelineEntry, WorkspacePackage } from "./workspaces.js";
import { workspaceTasks } from "./workspace-tasks.js";

/** A package `name` depending on `dependencies`, with a script for each name in `scripts`. */
function pkg(name: string, scripts: string[], dependencies: string[] = []): WorkspacePackage {
  return {
    name,
    dir: `/repo/packages/${name}`,
    scripts: Object.fromEntries(scripts.map((script) => [script, `echo ${script} ${name}`])),
    dependencies,
    manifest: { name },
  };
}

/** Each task's dependencies, by id. */
function edges(
  packages: WorkspacePackage[],
  pipeline: Record<string, PipelineEntry>,
): Record<string, readonly string[]> {
  const tasks = workspaceTasks({
    packages,
    pipeline,
    manager: { name: "npm", runsHooks: true },
    initCwd: "/repo",
    root: "/repo",
  });
  return Object.fromEntries(tasks.map((task) => [task.id, task.dependsOn ?? []]));
}

const upstreamBuilds = { build: { dependsOn: ["^build"] } };

describe("workspaceTasks", () => {
  it("waits for builds behind a package without the script (a → b → c: a waits for c)", () => {
    const packages = [pkg("a", ["build"], ["b"]), pkg("b", [], ["c"]), pkg("c", ["build"])];
    assert.deepEqual(edges(packages, upstreamBuilds), { "a#build": ["c#build"], "c#build": [] });
  });

  it("goes through any number of packages without the script, and stops at the first that has it", () => {
    const packages = [
      pkg("a", ["build"], ["b1", "b2"]),
      pkg("b1", [], ["b3"]),
      pkg("b2", ["test"], ["d"]),
      pkg("b3", [], ["c"]),
      pkg("c", ["build"], ["d"]),
      pkg("d", ["build"]),
    ];
    assert.deepEqual(edges(packages, upstreamBuilds), {
      "a#build": ["c#build", "d#build"],
      "c#build": ["d#build"],
      "d#build": [],
    });
  });

  it("ignores dependencies that are not workspace packages", () => {
    const packages = [pkg("a", ["build"], ["left-pad", "b"]), pkg("b", ["build"], ["react"])];
    assert.deepEqual(edges(packages, upstreamBuilds), { "a#build": ["b#build"], "b#build": [] });
  });

  it("never makes a task wait for itself through a package cycle without the script", () => {
    const packages = [pkg("a", ["build"], ["b"]), pkg("b", [], ["a", "c"]), pkg("c", ["build"])];
    assert.deepEqual(edges(packages, upstreamBuilds), { "a#build": ["c#build"], "c#build": [] });
  });

  it("follows a package's own script it lacks: test → build (none here) → ^build", () => {
    const pipeline = { build: { dependsOn: ["^build"] }, test: { dependsOn: ["build"] } };
    const packages = [pkg("a", ["test"], ["b"]), pkg("b", ["build"])];
    assert.deepEqual(edges(packages, pipeline), { "b#build": [], "a#test": ["b#build"] });
  });

  it("follows pkg#script to what that script waits for when the package lacks it", () => {
    const pipeline = { build: { dependsOn: ["^build"] }, e2e: { dependsOn: ["b#build", "x"] } };
    const packages = [pkg("a", ["e2e"]), pkg("b", [], ["c"]), pkg("c", ["build"])];
    assert.deepEqual(edges(packages, pipeline), {
      "c#build": [],
      "a#e2e": ["c#build"],
    });
  });

  it("keeps a pkg#task of no workspace package as it is, for the graph to check", () => {
    const pipeline = { build: { dependsOn: ["codegen#run"] } };
    assert.deepEqual(edges([pkg("a", ["build"])], pipeline), { "a#build": ["codegen#run"] });
  });
});

/** Each task's cache spec, by id (absent: not cached). */
function cacheSpecs(
  packages: WorkspacePackage[],
  pipeline: Record<string, PipelineEntry>,
  globalInputs: string[] = [],
): Record<string, unknown> {
  const tasks = workspaceTasks({
    packages,
    pipeline,
    manager: { name: "npm", runsHooks: true },
    initCwd: "/repo",
    root: "/repo",
    globalInputs,
  });
  return Object.fromEntries(tasks.map((task) => [task.id, task.run.cache]));
}

describe("workspaceTasks and the cache", () => {
  it("caches every script by default, replaying its log only", () => {
    assert.deepEqual(cacheSpecs([pkg("a", ["build"])], upstreamBuilds), {
      "a#build": { outputs: [], hashedEnv: [] },
    });
  });

  it("takes outputs, inputs and env names from the script's entry", () => {
    const pipeline = {
      build: {
        dependsOn: [],
        outputs: ["dist/**"],
        inputs: ["src/**", "!src/**/*.md"],
        env: ["CI"],
      },
    };
    assert.deepEqual(cacheSpecs([pkg("a", ["build"])], pipeline), {
      "a#build": { outputs: ["dist/**"], inputs: ["src/**", "!src/**/*.md"], hashedEnv: ["CI"] },
    });
  });

  it("never caches a script that says cache: false, nor a persistent one", () => {
    const pipeline = { deploy: { cache: false }, dev: { persistent: true } };
    assert.deepEqual(cacheSpecs([pkg("a", ["deploy", "dev"])], pipeline), {
      "a#deploy": undefined,
      "a#dev": undefined,
    });
  });

  it("gives a package's own entry (pkg#script) in place of the script's, dependencies included", () => {
    const pipeline = {
      build: { dependsOn: ["^build"], outputs: ["dist/**"] },
      "web#build": { dependsOn: [], outputs: [".next/**"] },
    };
    const packages = [pkg("core", ["build"]), pkg("web", ["build"], ["core"])];
    assert.deepEqual(cacheSpecs(packages, pipeline), {
      "core#build": { outputs: ["dist/**"], hashedEnv: [] },
      "web#build": { outputs: [".next/**"], hashedEnv: [] },
    });
    assert.deepEqual(edges(packages, pipeline), { "core#build": [], "web#build": [] });
  });

  it("makes a task only in the packages a pkg#script entry names when the script has no entry", () => {
    const packages = [pkg("core", ["build"]), pkg("web", ["build"], ["core"])];
    assert.deepEqual(edges(packages, { "web#build": { dependsOn: ["^build"] } }), {
      "web#build": [],
    });
  });

  it("keeps $root/ inputs and the global inputs as root files of each task's key", () => {
    const pipeline = {
      build: { inputs: ["src/**", "$root/tsconfig.base.json", "!$root/*.local.json"] },
      lint: { inputs: ["$root/.eslintrc.json"] },
      deploy: { cache: false },
    };
    assert.deepEqual(cacheSpecs([pkg("a", ["build", "lint", "deploy"])], pipeline, [".nvmrc"]), {
      "a#build": {
        outputs: [],
        inputs: ["src/**"],
        rootInputs: [".nvmrc", "tsconfig.base.json", "!*.local.json"],
        hashedEnv: [],
      },
      // Root files only: the package's own files still count, as with no inputs.
      "a#lint": { outputs: [], rootInputs: [".nvmrc", ".eslintrc.json"], hashedEnv: [] },
      "a#deploy": undefined,
    });
  });

  it("reads dependencyInputs in every package it depends on, directly or not, as root globs", () => {
    const pipeline = { test: { dependencyInputs: ["src/**", "!**/*.spec.ts"] } };
    const packages = [
      pkg("app", ["test"], ["ui"]),
      pkg("ui", [], ["core", "app"]),
      pkg("core", ["test"]),
    ];
    assert.deepEqual(cacheSpecs(packages, pipeline), {
      "app#test": {
        outputs: [],
        rootInputs: [
          "packages/ui/src/**",
          "!packages/ui/**/*.spec.ts",
          "packages/core/src/**",
          "!packages/core/**/*.spec.ts",
        ],
        hashedEnv: [],
      },
      "core#test": { outputs: [], hashedEnv: [] },
    });
  });
});
