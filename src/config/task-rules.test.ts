import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { withoutComments } from "./jsonc.js";
import { presentRuleFiles, readTaskRules } from "./task-rules.js";
import type { WorkspacePackage } from "./workspaces.js";

/** A workspace root holding `files` (objects written as JSON). */
function root(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-rules-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(
      join(dir, name),
      typeof content === "string" ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

const pkg = (dir: string, name: string): WorkspacePackage => ({
  name,
  dir: join(dir, "packages", name),
  scripts: { build: "tsc" },
  dependencies: [],
  manifest: { name },
});

async function messageOf(dir: string, name: string): Promise<string> {
  try {
    await readTaskRules(dir, name, []);
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return error.message;
  }
  assert.fail(`expected ${name} to be refused`);
}

describe("task rule files", () => {
  it("lists the files present in the order they are read: package.json only with a parex section", () => {
    const all = {
      "package.json": { workspaces: ["packages/*"], parex: { pipeline: {} } },
      "lage.config.js": "module.exports = { pipeline: {} };",
      "nx.json": {},
      "turbo.json": { tasks: {} },
    };
    assert.deepEqual(presentRuleFiles(root(all)), [
      "package.json",
      "turbo.json",
      "nx.json",
      "lage.config.js",
    ]);
    const withoutSection = { ...all, "package.json": { workspaces: ["packages/*"] } };
    assert.deepEqual(presentRuleFiles(root(withoutSection)), [
      "turbo.json",
      "nx.json",
      "lage.config.js",
    ]);
  });

  it("reads package.json's parex pipeline as parex's own, which lists the scripts that run", async () => {
    const dir = root({
      "package.json": {
        parex: { pipeline: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } } },
      },
    });
    assert.deepEqual(await readTaskRules(dir, "package.json", []), {
      source: 'package.json ("parex")',
      pipeline: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } },
      globalInputs: [],
      notes: [],
      open: false,
      cacheUnlisted: true,
    });
  });

  it("refuses a parex section with more than a pipeline, or a bad entry, naming the place", async () => {
    assert.equal(
      await messageOf(root({ "package.json": { parex: { tasks: {} } } }), "package.json"),
      'Invalid "parex" section (package.json, parex): expected { "pipeline": { ... }, "globalInputs": [...] } and nothing else, got `{"tasks":{}}` (object). Put tasks and settings in parex.config.json.',
    );
    const badEntry = { "package.json": { parex: { pipeline: { build: { outputs: "dist" } } } } };
    assert.equal(
      await messageOf(root(badEntry), "package.json"),
      'Invalid pipeline entry "build" (package.json, parex.pipeline.build.outputs): expected outputs to be an array of globs inside the package (no .., / nor $root/), got `"dist"` (string).',
    );
    const rootGlob = {
      "package.json": { parex: { pipeline: {}, globalInputs: ["$root/x.json"] } },
    };
    assert.equal(
      await messageOf(root(rootGlob), "package.json"),
      'Invalid globalInputs (package.json, parex.globalInputs): expected an array of globs relative to the workspace root (no .., / nor $root/: each is at the root already), got `["$root/x.json"]` (array).',
    );
  });

  it("reads the parex section's globalInputs, and $root/ inputs of its pipeline as they are", async () => {
    const section = {
      pipeline: { build: { inputs: ["src/**", "$root/tsconfig.base.json"] } },
      globalInputs: [".eslintrc.json"],
    };
    const rules = await readTaskRules(
      root({ "package.json": { parex: section } }),
      "package.json",
      [],
    );
    assert.deepEqual(rules.globalInputs, [".eslintrc.json"]);
    assert.deepEqual(rules.pipeline, {
      build: { dependsOn: [], inputs: ["src/**", "$root/tsconfig.base.json"] },
    });
  });

  it("reads a turbo.json with comments and trailing commas", async () => {
    const text =
      '{\n  // turbo 2\n  "tasks": {\n    "build": { "outputs": ["dist/**"], }, /* done */\n  },\n}\n';
    const rules = await readTaskRules(root({ "turbo.json": text }), "turbo.json", []);
    assert.deepEqual(rules.pipeline, { build: { dependsOn: [], outputs: ["dist/**"] } });
    assert.equal(rules.open, true);
  });

  it("says where a turbo.json stops being JSON", async () => {
    const text = '{\n  "tasks": {\n    "build": { "outputs": ["dist/**"] \n  }\n}\n';
    assert.equal(
      await messageOf(root({ "turbo.json": text }), "turbo.json"),
      "Cannot parse turbo.json (line 5, column 2): Expected ',' or '}' after the property value, got the end of the file. Fix the JSON there:\n  5 | }\n    |  ^",
    );
  });

  it("lays a package's turbo.json over the root's task, as pkg#task", async () => {
    const dir = root({
      "turbo.json": { tasks: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } } },
      "packages/web/turbo.json": { extends: ["//"], tasks: { build: { outputs: [".next/**"] } } },
    });
    const rules = await readTaskRules(dir, "turbo.json", [pkg(dir, "web"), pkg(dir, "core")]);
    assert.deepEqual(rules.pipeline, {
      build: { dependsOn: ["^build"], outputs: ["dist/**"] },
      "web#build": { dependsOn: [], outputs: [".next/**"] },
    });
  });

  it("reads nx.json, whose scripts it does not list are not cached", async () => {
    const dir = root({ "nx.json": { targetDefaults: { build: { cache: true } } } });
    const rules = await readTaskRules(dir, "nx.json", []);
    assert.deepEqual(rules.pipeline, {
      build: { dependsOn: [], inputs: ["**"], dependencyInputs: ["**"], cache: true },
    });
    assert.equal(rules.cacheUnlisted, false);
  });
});

describe("withoutComments", () => {
  it("keeps comment-like text inside strings, and every offset", () => {
    const text = '{ "url": "http://x//y", /* a */ "b": [1, 2,], }';
    assert.equal(withoutComments(text), '{ "url": "http://x//y",         "b": [1, 2 ]  }');
    assert.equal(withoutComments(text).length, text.length);
  });
});
