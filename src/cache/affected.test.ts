import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import type { Command, TaskSpec } from "../core/index.js";
import { affectedTasks, isTaskOutput } from "./affected.js";

const root = "/repo";

/** lib ← app ← e2e, and docs on its own; app reads src/** only and writes dist/. */
function graph() {
  const specs: TaskSpec<Command>[] = [
    { id: "lib", run: { command: "x", cwd: "/repo/packages/lib" } },
    {
      id: "app",
      run: {
        command: "x",
        cwd: "/repo/packages/app",
        cache: { inputs: ["src/**", "!src/**/*.md"], outputs: ["dist/**"], hashedEnv: [] },
      },
      dependsOn: ["lib"],
    },
    { id: "e2e", run: { command: "x", cwd: "/repo/packages/app" }, dependsOn: ["app"] },
    { id: "docs", run: { command: "x", cwd: "/repo/docs" } },
  ];
  return buildGraph(specs);
}

const affected = (changed: string[], everyTask: string[] = []) =>
  affectedTasks(graph(), changed, { projectDir: root, repoRoot: root, everyTask });

describe("affectedTasks", () => {
  it("reaches a task whose cwd holds a changed file, and every task downstream of it", () => {
    const result = affected(["/repo/packages/lib/index.js"]);
    assert.deepEqual(result.direct, ["lib"]);
    assert.deepEqual(result.tasks, ["lib", "app", "e2e"]);
    assert.equal(result.global, undefined);
  });

  it("reads a task's inputs globs: a file outside them does not reach it", () => {
    assert.deepEqual(affected(["/repo/packages/app/README.md"]).direct, ["e2e"]);
    assert.deepEqual(affected(["/repo/packages/app/src/main.ts"]).direct, ["app", "e2e"]);
    assert.deepEqual(affected(["/repo/packages/app/src/notes.md"]).direct, ["e2e"]);
  });

  it("does not count a task's outputs nor .parex as its inputs", () => {
    const outputs = affectedTasks(
      buildGraph([
        {
          id: "gen",
          run: { command: "x", cwd: "/repo", cache: { outputs: ["out/**"], hashedEnv: [] } },
        },
      ]),
      ["/repo/out/gen.txt", "/repo/.parex/cache/ab"],
      { projectDir: root, repoRoot: root },
    );
    assert.deepEqual(outputs.tasks, []);
  });

  it("reaches a task whose root inputs hold a changed root file, and its dependents only", () => {
    const specs: TaskSpec<Command>[] = [
      {
        id: "lib",
        run: {
          command: "x",
          cwd: "/repo/packages/lib",
          cache: {
            outputs: [],
            hashedEnv: [],
            rootInputs: ["tsconfig*.json", "!tsconfig.local.json"],
          },
        },
      },
      { id: "app", run: { command: "x", cwd: "/repo/packages/app" }, dependsOn: ["lib"] },
      { id: "docs", run: { command: "x", cwd: "/repo/docs" } },
    ];
    const of = (changed: string) =>
      affectedTasks(buildGraph(specs), [changed], { projectDir: root, repoRoot: root });
    assert.deepEqual(of("/repo/tsconfig.base.json").direct, ["lib"]);
    assert.deepEqual(of("/repo/tsconfig.base.json").tasks, ["lib", "app"]);
    assert.deepEqual(of("/repo/tsconfig.local.json").tasks, [], "excluded by !");
    assert.deepEqual(of("/repo/.eslintrc").tasks, [], "a root file no task names");
    const excluding = affectedTasks(
      buildGraph([
        {
          id: "lib",
          run: {
            command: "x",
            cwd: "/repo/lib",
            cache: { outputs: [], hashedEnv: [], rootInputs: ["!x"] },
          },
        },
      ]),
      ["/repo/README.md"],
      { projectDir: root, repoRoot: root },
    );
    assert.deepEqual(excluding.tasks, [], "exclusions alone name no root file");
  });

  it("reaches nothing with a change outside every task's inputs", () => {
    assert.deepEqual(affected(["/repo/README.md", "/elsewhere/packages/lib/x"]).tasks, []);
  });

  it("reaches every task with a change to the lockfile, at the project or above it", () => {
    const result = affected(["/repo/package-lock.json"]);
    assert.deepEqual(result.tasks, ["lib", "app", "e2e", "docs"]);
    assert.equal(result.global, "/repo/package-lock.json");
    const nested = affectedTasks(graph(), ["/repo/pnpm-lock.yaml"], {
      projectDir: "/repo/packages",
      repoRoot: root,
    });
    assert.deepEqual(nested.direct, ["lib", "app", "e2e", "docs"]);
  });

  it("does not count a lockfile of a package below the project, beyond its own tasks", () => {
    assert.deepEqual(affected(["/repo/packages/lib/yarn.lock"]).tasks, ["lib", "app", "e2e"]);
  });

  it("reaches every task with a change to a file named as global (the config file)", () => {
    assert.deepEqual(affected(["/repo/parex.config.json"], ["/repo/parex.config.json"]).tasks, [
      "lib",
      "app",
      "e2e",
      "docs",
    ]);
  });

  it("takes a task without a cwd to run in the project directory", () => {
    const result = affectedTasks(
      buildGraph([{ id: "all", run: { command: "x" } }]),
      ["/repo/any/file"],
      { projectDir: root, repoRoot: root },
    );
    assert.deepEqual(result.tasks, ["all"]);
  });
});

describe("isTaskOutput", () => {
  it("tells a task's outputs by its globs, exclusions included, and nothing for a task without", () => {
    const graph = buildGraph<Command>([
      {
        id: "gen",
        run: {
          command: "x",
          cwd: "/repo/gen",
          cache: { outputs: ["dist/**", "!dist/**/*.map"], hashedEnv: [] },
        },
      },
      { id: "plain", run: { command: "x", cwd: "/repo/plain" } },
    ]);
    assert.equal(isTaskOutput(graph, "/repo/gen/dist/a.js", root), true);
    assert.equal(isTaskOutput(graph, "/repo/gen/dist/a.js.map", root), false);
    assert.equal(isTaskOutput(graph, "/repo/gen/src/a.ts", root), false);
    assert.equal(isTaskOutput(graph, "/repo/plain/dist/a.js", root), false);
  });
});
