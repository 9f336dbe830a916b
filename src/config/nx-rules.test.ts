import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { nxRules } from "./nx-rules.js";

describe("nxRules", () => {
  it("reads targetDefaults: dependsOn as strings and as objects, outputs under {projectRoot}, cache", () => {
    const { pipeline, notes } = nxRules({
      targetDefaults: {
        build: {
          dependsOn: ["^build", { projects: "self", target: "codegen" }],
          outputs: ["{projectRoot}/dist", "{projectRoot}/types/**/*.d.ts"],
          cache: true,
        },
        test: {
          dependsOn: [
            { projects: "dependencies", target: "build" },
            { target: "lint" },
            { projects: ["shared", "@app/ui"], target: "build" },
            { dependencies: true, target: "test" },
          ],
          cache: true,
        },
        e2e: { dependsOn: ["build"] },
      },
    });
    // No inputs: Nx's default, the project's files and those of every project it depends on.
    const everyFile = { inputs: ["**"], dependencyInputs: ["**"] };
    assert.deepEqual(pipeline, {
      build: {
        dependsOn: ["^build", "codegen"],
        outputs: ["dist", "dist/**", "types/**/*.d.ts"],
        ...everyFile,
        cache: true,
      },
      test: {
        dependsOn: ["^build", "lint", "shared#build", "@app/ui#build", "^test"],
        ...everyFile,
        cache: true,
      },
      e2e: { dependsOn: ["build"], cache: false },
    });
    assert.deepEqual(notes, []);
  });

  it("resolves named inputs into globs of the project, of its dependencies (^) and of the root, with { env }", () => {
    const { pipeline } = nxRules({
      namedInputs: {
        default: ["{projectRoot}/**/*", "sharedGlobals"],
        sharedGlobals: ["{workspaceRoot}/babel.config.json", "!{workspaceRoot}/*.local.json"],
        production: ["default", "!{projectRoot}/**/*.spec.ts", { env: "NODE_ENV" }],
      },
      targetDefaults: {
        build: { inputs: ["production", "^production"], cache: true },
        lint: { inputs: ["default", { externalDependencies: ["eslint"] }], cache: true },
        test: {
          inputs: [
            { input: "production", dependencies: true },
            { fileset: "{projectRoot}/test/**" },
          ],
          cache: true,
        },
      },
    });
    const root = ["$root/babel.config.json", "!$root/*.local.json"];
    assert.deepEqual(pipeline, {
      build: {
        dependsOn: [],
        inputs: ["**/*", ...root, "!**/*.spec.ts"],
        dependencyInputs: ["**/*", "!**/*.spec.ts"],
        env: ["NODE_ENV"],
        cache: true,
      },
      lint: { dependsOn: [], inputs: ["**/*", ...root], cache: true },
      test: {
        dependsOn: [],
        inputs: [...root, "test/**"],
        dependencyInputs: ["**/*", "!**/*.spec.ts"],
        env: ["NODE_ENV"],
        cache: true,
      },
    });
  });

  it("reads Nx's own default input as every file of the project when nx.json does not define it", () => {
    const { pipeline } = nxRules({
      targetDefaults: { build: { inputs: ["default"], cache: true } },
    });
    assert.deepEqual(pipeline, { build: { dependsOn: [], inputs: ["**"], cache: true } });
  });

  it("caches the old cacheableOperations of tasksRunnerOptions", () => {
    const { pipeline } = nxRules({
      tasksRunnerOptions: { default: { options: { cacheableOperations: ["build"] } } },
      targetDefaults: { build: {}, deploy: {} },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: [], inputs: ["**"], dependencyInputs: ["**"], cache: true },
      deploy: { dependsOn: [], cache: false },
    });
  });

  it("does not cache a target whose files it cannot map, and says why", () => {
    const { pipeline, notes } = nxRules({
      namedInputs: { sharedGlobals: ["{workspaceRoot}/../babel.config.json"] },
      targetDefaults: {
        build: { outputs: ["{options.outputPath}"], cache: true },
        bundle: { outputs: ["{workspaceRoot}/dist/{projectRoot}"], cache: true },
        test: { inputs: ["{projectRoot}/**/*", "sharedGlobals"], cache: true },
        lint: { inputs: [{ runtime: "node -v" }], cache: true },
        e2e: { inputs: [{ input: "default", projects: ["api"] }], cache: true },
        "@nx/vite:test": { cache: true },
        "build-*": { dependsOn: ["build-*"] },
      },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: [], cache: false },
      bundle: { dependsOn: [], cache: false },
      test: { dependsOn: [], cache: false },
      lint: { dependsOn: [], cache: false },
      e2e: { dependsOn: [], cache: false },
      "build-*": { dependsOn: [], cache: false },
    });
    assert.deepEqual(notes, [
      'nx.json: targetDefaults.build is not cached: its output "{options.outputPath}" is not one parex can restore',
      'nx.json: targetDefaults.bundle is not cached: its output "{workspaceRoot}/dist/{projectRoot}" is not one parex can restore',
      'nx.json: targetDefaults.test is not cached: its input "{workspaceRoot}/../babel.config.json" is outside its project',
      'nx.json: targetDefaults.lint is not cached: its input {"runtime":"node -v"} is not one parex can hash',
      'nx.json: targetDefaults.e2e is not cached: its input {"input":"default","projects":["api"]} is not one parex can hash',
      "nx.json: targetDefaults.@nx/vite:test gives defaults to an executor, which parex does not run",
      'nx.json: targetDefaults.build-*.dependsOn[0] "build-*" names targets by a pattern, which parex does not read',
    ]);
  });

  it("refuses a dependsOn it cannot read, naming the place", () => {
    assert.throws(
      () => nxRules({ targetDefaults: { build: { dependsOn: [{ projects: "dependencies" }] } } }),
      (error: unknown) =>
        error instanceof ParexError &&
        error.message ===
          'Invalid task rules (nx.json, targetDefaults.build.dependsOn[0]): expected a target name, or { "target": ..., "projects": ... }, got `{"projects":"dependencies"}` (object). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
  });
});
