import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { turboRules } from "./turbo-rules.js";

function messageOf(data: unknown): string {
  try {
    turboRules(data);
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return error.message;
  }
  assert.fail("expected turbo.json to be refused");
}

describe("turboRules", () => {
  it("reads turbo 2's tasks: dependsOn, outputs, inputs, env, cache, persistent, by task and pkg#task", () => {
    const { pipeline, notes } = turboRules({
      $schema: "https://turbo.build/schema.json",
      ui: "tui",
      tasks: {
        build: {
          dependsOn: ["^build"],
          outputs: ["dist/**", "!dist/cache/**"],
          inputs: ["$TURBO_DEFAULT$", "!README.md"],
          env: ["NODE_ENV"],
          passThroughEnv: ["AWS_SECRET"],
          outputLogs: "new-only",
        },
        "web#build": { dependsOn: ["build", "ui#build"], outputs: [".next/**"] },
        test: { dependsOn: ["build"], cache: false },
        dev: { persistent: true, cache: false },
      },
    });
    assert.deepEqual(pipeline, {
      build: {
        dependsOn: ["^build"],
        outputs: ["dist/**", "!dist/cache/**"],
        inputs: ["**", "!README.md"],
        env: ["NODE_ENV"],
      },
      "web#build": { dependsOn: ["build", "ui#build"], outputs: [".next/**"] },
      test: { dependsOn: ["build"], cache: false },
      dev: { dependsOn: [], cache: false, persistent: true },
    });
    assert.deepEqual(notes, []);
  });

  it("reads turbo 1's pipeline the same way, and adds globalEnv to every task's env", () => {
    const { pipeline } = turboRules({
      globalEnv: ["CI"],
      pipeline: { build: { dependsOn: ["^build"], env: ["API_URL"] }, lint: {} },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: ["^build"], env: ["CI", "API_URL"] },
      lint: { dependsOn: [], env: ["CI"] },
    });
  });

  it("leaves out $VAR dependencies and root tasks, and says so", () => {
    const { pipeline, notes } = turboRules({
      globalDependencies: ["tsconfig.json", "$API_URL"],
      pipeline: { build: { dependsOn: ["^build", "$NODE_ENV", "//#codegen"] }, "//#format": {} },
    });
    assert.deepEqual(pipeline, { build: { dependsOn: ["^build"] } });
    assert.deepEqual(notes, [
      `turbo.json: "$API_URL" in globalDependencies is turbo 1's old way of naming a variable: not read; list it in globalEnv`,
      `turbo.json: "$NODE_ENV" in pipeline.build.dependsOn is turbo 1's old way of naming a variable: not read; list it in env`,
      'turbo.json: pipeline.build.dependsOn "//#codegen" is a task of the root package: not waited for',
      "turbo.json: pipeline.//#format is a task of the root package, which parex does not run",
    ]);
  });

  it("reads globalDependencies as root files in every key, and $TURBO_ROOT$/ inputs as root files of the task", () => {
    const { pipeline, globalInputs, notes } = turboRules({
      globalDependencies: ["tsconfig.base.json", ".eslintrc*", "!.eslintrc.local"],
      tasks: {
        build: {
          inputs: ["$TURBO_DEFAULT$", "$TURBO_ROOT$/tsconfig.json", "!$TURBO_ROOT$/*.local.json"],
        },
        lint: {},
      },
    });
    assert.deepEqual(globalInputs, ["tsconfig.base.json", ".eslintrc*", "!.eslintrc.local"]);
    assert.deepEqual(pipeline, {
      build: { dependsOn: [], inputs: ["**", "$root/tsconfig.json", "!$root/*.local.json"] },
      lint: { dependsOn: [] },
    });
    assert.deepEqual(notes, []);
  });

  it("caches no task when globalDependencies leave the workspace or turbo 1's globalDotEnv is set", () => {
    for (const [global, why] of [
      [
        { globalDependencies: ["../shared/tsconfig.json"] },
        "globalDependencies reach outside the workspace (../shared/tsconfig.json)",
      ],
      [{ globalDotEnv: [".env"] }, "globalDotEnv files are not read"],
    ] as const) {
      const { pipeline, notes } = turboRules({
        ...global,
        pipeline: { build: {}, dev: { cache: false } },
      });
      assert.deepEqual(pipeline, {
        build: { dependsOn: [], cache: false },
        dev: { dependsOn: [], cache: false },
      });
      assert.deepEqual(notes, [`turbo.json: pipeline.build is not cached: ${why}`]);
    }
  });

  it("does not cache a task whose files reach outside its package, or whose env is a pattern", () => {
    const { pipeline, notes } = turboRules({
      tasks: {
        build: {
          inputs: ["$TURBO_DEFAULT$", "$TURBO_ROOT$/../tsconfig.json"],
          outputs: ["dist/**"],
        },
        bundle: { outputs: ["../../dist/**"] },
        test: { env: ["NEXT_PUBLIC_*"] },
        docs: { dotEnv: [".env"] },
      },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: [], cache: false },
      bundle: { dependsOn: [], cache: false },
      test: { dependsOn: [], cache: false },
      docs: { dependsOn: [], cache: false },
    });
    assert.deepEqual(notes, [
      "turbo.json: tasks.build is not cached: its inputs reach outside the workspace ($TURBO_ROOT$/../tsconfig.json)",
      "turbo.json: tasks.bundle is not cached: its outputs reach outside its package (../../dist/**)",
      "turbo.json: tasks.test is not cached: parex keys name variables one by one, not as NEXT_PUBLIC_*",
      "turbo.json: tasks.docs is not cached: its dotEnv files are not read",
    ]);
  });

  it("says which fields it does not know, and reads the rest", () => {
    const { pipeline, notes } = turboRules({ tasks: { build: { with: ["watch"] } } });
    assert.deepEqual(pipeline, { build: { dependsOn: [] } });
    assert.deepEqual(notes, ["turbo.json: tasks.build.with is not read"]);
  });

  it("refuses what it cannot read, naming the place and the fix", () => {
    const fix = "Fix it there, or give parex a pipeline of its own (docs/cache.md).";
    assert.equal(
      messageOf({ tasks: { build: { outputs: "dist/**" } } }),
      `Invalid task rules (turbo.json, tasks.build.outputs): expected an array of strings, got \`"dist/**"\` (string). ${fix}`,
    );
    assert.equal(
      messageOf({ globalEnv: [] }),
      `Invalid task rules (turbo.json, tasks): expected turbo 2's "tasks" or turbo 1's "pipeline", an object of tasks, got \`undefined\` (undefined). ${fix}`,
    );
    assert.equal(
      messageOf({ tasks: { build: { cache: "no" } } }),
      `Invalid task rules (turbo.json, tasks.build.cache): expected true or false, got \`"no"\` (string). ${fix}`,
    );
  });
});
