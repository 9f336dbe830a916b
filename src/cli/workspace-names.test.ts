import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkspacePackage } from "../config/index.js";
import { workspaceTaskIds } from "./workspace-names.js";
import type { WorkspaceNames } from "./workspace-names.js";

function pkg(name: string, scripts: string[]): WorkspacePackage {
  const entries = scripts.map((script): [string, string] => [script, `echo ${script}`]);
  return {
    name,
    dir: `/repo/${name}`,
    scripts: Object.fromEntries(entries),
    dependencies: [],
    manifest: {},
  };
}

const packages = [pkg("@demo/a", ["build", "test"]), pkg("@demo/b", ["build", "lint"])];

/** The zero-config pipeline of the scripts named (or `pipeline`), with the tasks it makes. */
function names(names: string[], more: Partial<WorkspaceNames> = {}): Promise<string[]> {
  const { specs = [], packages: those = packages, ...rest } = more;
  const scripts = names.map((name) => name.slice(name.indexOf("#") + 1));
  const pipeline = rest.pipeline ?? Object.fromEntries(scripts.map((s) => [s, {}]));
  const ids = those.flatMap((p) =>
    Object.keys(pipeline)
      .filter((script) => p.scripts[script] !== undefined)
      .map((script) => `${p.name}#${script}`),
  );
  return workspaceTaskIds({
    names,
    specs: [...ids.map((id) => ({ id, run: "" })), ...specs],
    packages: those,
    filter: [],
    pipelineSource: undefined,
    root: "/repo",
    ...rest,
    pipeline,
  });
}

const unknownTask = (message: string) => ({ name: "ParexError", code: "UNKNOWN_TASK", message });

describe("workspace task names", () => {
  it("runs a script in every package that has it, and keeps pkg#script whatever the filter", async () => {
    assert.deepEqual(await names(["build"]), ["@demo/a#build", "@demo/b#build"]);
    assert.deepEqual(await names(["build"], { filter: ["*/b"] }), ["@demo/b#build"]);
    assert.deepEqual(await names(["@demo/a#test"], { filter: ["@demo/b"] }), ["@demo/a#test"]);
  });

  it("names the script, not an absent --filter, and suggests the nearest", async () => {
    await assert.rejects(
      names(["biuld"]),
      unknownTask(`No workspace package has a script "biuld". Did you mean "build"?`),
    );
    await assert.rejects(
      names(["deploy"]),
      unknownTask(`No workspace package has a script "deploy". Known scripts: build, lint, test.`),
    );
  });

  it("says which packages have a script the filter left out", async () => {
    await assert.rejects(
      names(["lint"], { filter: ["@demo/a"] }),
      unknownTask(
        `No workspace package matching --filter @demo/a has a script "lint" (@demo/b has it).`,
      ),
    );
  });

  it("refuses a --filter that matches no package, with the nearest name", async () => {
    await assert.rejects(names(["build"], { filter: ["@other/*", "@dmeo/b"] }), {
      name: "UsageError",
      message: "--filter @other/* matches no workspace package. Known packages: @demo/a, @demo/b.",
    });
    await assert.rejects(names(["build"], { filter: ["@dmeo/b"] }), {
      name: "UsageError",
      message: '--filter @dmeo/b matches no workspace package. Did you mean "@demo/b"?',
    });
  });

  it("tells an unknown package from a script the package lacks in pkg#script", async () => {
    await assert.rejects(
      names(["@demo/c#build"]),
      unknownTask(
        `No workspace package is named "@demo/c" (in "@demo/c#build"). Did you mean "@demo/a"?`,
      ),
    );
    await assert.rejects(
      names(["@demo/b#test"]),
      unknownTask(
        `Package "@demo/b" has no script "test". Known scripts of "@demo/b": build, lint.`,
      ),
    );
    await assert.rejects(
      names(["@demo/b#lnit"]),
      unknownTask(`Package "@demo/b" has no script "lnit". Did you mean "lint"?`),
    );
  });

  it("says when a script exists but the config's pipeline does not run it", async () => {
    const configured = { pipeline: { build: {} }, pipelineSource: "parex.config.json" };
    await assert.rejects(
      names(["lint"], configured),
      unknownTask(
        `Script "lint" is not in the pipeline of parex.config.json, so no task runs it: add it there, e.g. "pipeline": { "lint": { "dependsOn": ["^lint"] } }.`,
      ),
    );
  });

  it("without names, runs the pipeline's scripts, and the config's own tasks unless filtered", async () => {
    const more = { pipeline: { build: {}, lint: {} }, specs: [{ id: "e2e", run: "" }] };
    assert.deepEqual(await names([], more), [
      "@demo/a#build",
      "@demo/b#build",
      "@demo/b#lint",
      "e2e",
    ]);
    assert.deepEqual(await names([], { ...more, filter: ["@demo/a"] }), ["@demo/a#build"]);
    await assert.rejects(
      names([], { pipeline: { deploy: {} }, pipelineSource: "parex.config.json" }),
      unknownTask("No workspace package has a script of the pipeline (deploy, parex.config.json)."),
    );
  });

  it("says so when the workspace has no packages at all", async () => {
    await assert.rejects(
      names(["build"], { packages: [] }),
      unknownTask(
        `No workspace packages found in /repo: the patterns of package.json "workspaces" (or pnpm-workspace.yaml) match no directory with a package.json.`,
      ),
    );
  });
});
