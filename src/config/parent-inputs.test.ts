import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lageRules } from "./lage-rules.js";
import { withParentInputs } from "./parent-inputs.js";
import { turboRules } from "./turbo-rules.js";
import type { WorkspacePackage } from "./workspaces.js";

const root = "/repo";
const pkg = (name: string, dir: string): WorkspacePackage => ({
  name,
  dir: `${root}/${dir}`,
  scripts: { build: "tsc" },
  dependencies: [],
  manifest: { name },
});
const packages = [pkg("web", "packages/web"), pkg("api", "apps/api/server"), pkg("top", "top")];

describe("withParentInputs", () => {
  it("reads a turbo task's ../ inputs as root files of each package, and leaves uncached a package they leave the root from", () => {
    const rules = turboRules({
      tasks: {
        build: {
          dependsOn: ["^build"],
          inputs: ["src/**", "../../tsconfig.base.json", "!../../*.local.json"],
          outputs: ["dist/**"],
        },
        "web#lint": { inputs: ["../shared/.eslintrc.json"] },
        test: { inputs: ["**"] },
      },
    });
    const { pipeline, notes } = withParentInputs(rules, "turbo.json", { root, packages });
    const build = { dependsOn: ["^build"], outputs: ["dist/**"] };
    assert.deepEqual(pipeline["web#build"], {
      ...build,
      inputs: ["src/**", "$root/tsconfig.base.json", "!$root/*.local.json"],
    });
    // Three levels down: ../../ is apps/.
    assert.deepEqual(pipeline["api#build"], {
      ...build,
      inputs: ["src/**", "$root/apps/tsconfig.base.json", "!$root/apps/*.local.json"],
    });
    assert.deepEqual(pipeline["top#build"], { dependsOn: ["^build"], cache: false });
    assert.deepEqual(pipeline["web#lint"], {
      dependsOn: [],
      inputs: ["$root/packages/shared/.eslintrc.json"],
    });
    assert.deepEqual(pipeline["test"], { dependsOn: [], inputs: ["**"] });
    assert.equal(pipeline["web#test"], undefined);
    assert.deepEqual(notes, [
      "turbo.json: build of top is not cached: its inputs leave the workspace root (../../tsconfig.base.json, !../../*.local.json)",
    ]);
  });

  it("resolves a package's own entry for that package only, and lage's ../ inputs alike", () => {
    const rules = lageRules({
      pipeline: {
        build: { dependsOn: ["^build"], inputs: ["**", "../../babel.config.json"] },
        "web#build": { inputs: ["../../jest.preset.js"] },
      },
    });
    const { pipeline } = withParentInputs(rules, "lage.config.js", { root, packages });
    assert.deepEqual(pipeline["web#build"], { dependsOn: [], inputs: ["$root/jest.preset.js"] });
    assert.deepEqual(pipeline["api#build"], {
      dependsOn: ["^build"],
      inputs: ["**", "$root/apps/babel.config.json"],
    });
  });

  it("leaves a ../ after a wildcard, or $TURBO_ROOT$/../, uncached as before", () => {
    const { pipeline, notes } = turboRules({
      tasks: { build: { inputs: ["**/../x"] }, lint: { inputs: ["$TURBO_ROOT$/../x"] } },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: [], cache: false },
      lint: { dependsOn: [], cache: false },
    });
    assert.deepEqual(notes, [
      "turbo.json: tasks.build is not cached: its inputs reach outside the workspace (**/../x)",
      "turbo.json: tasks.lint is not cached: its inputs reach outside the workspace ($TURBO_ROOT$/../x)",
    ]);
  });
});
