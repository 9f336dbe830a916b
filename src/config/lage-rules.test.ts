import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { lageRules, loadLageConfig } from "./lage-rules.js";

/** A directory holding `files`; a package.json of type module when `esm`. */
function dirWith(files: Record<string, string>, esm = false): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-lage-"));
  if (esm) writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("lageRules", () => {
  it("reads the pipeline's dependsOn lists and pkg#task keys, and outputGlob as every task's outputs", () => {
    const { pipeline, notes } = lageRules({
      npmClient: "npm",
      pipeline: { build: ["^build"], test: ["build"], "web#build": ["^build", "codegen#run"] },
      cacheOptions: { outputGlob: ["dist/**", "lib/**"] },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: ["^build"], outputs: ["dist/**", "lib/**"] },
      test: { dependsOn: ["build"], outputs: ["dist/**", "lib/**"] },
      "web#build": { dependsOn: ["^build", "codegen#run"], outputs: ["dist/**", "lib/**"] },
    });
    assert.deepEqual(notes, []);
  });

  it("reads target objects, ^^ as ^, and cache: false for every task", () => {
    const { pipeline, notes } = lageRules({
      cache: false,
      pipeline: {
        build: { dependsOn: ["^^build"], outputs: ["dist/**"], inputs: ["src/**"] },
        lint: { type: "worker", dependsOn: [] },
      },
      cacheOptions: { cacheKey: "v2" },
    });
    assert.deepEqual(pipeline, {
      build: { dependsOn: ["^build"], outputs: ["dist/**"], inputs: ["src/**"], cache: false },
      lint: { dependsOn: [], cache: false },
    });
    assert.deepEqual(notes, [
      "lage.config.js: cacheOptions.cacheKey is not read: it does not change a task's key",
      'lage.config.js: pipeline.build "^^build" is read as "^build"',
      "lage.config.js: pipeline.lint.type is not read",
    ]);
  });

  it("reads cacheOptions.environmentGlob (and lage 1's environmentGlob) as root files in every key", () => {
    const { globalInputs, notes } = lageRules({
      pipeline: { build: ["^build"] },
      environmentGlob: [".eslintrc.js", "tsconfig.base.json"],
      cacheOptions: { environmentGlob: ["tsconfig.base.json", "!tsconfig.local.json"] },
    });
    assert.deepEqual(globalInputs, ["tsconfig.base.json", "!tsconfig.local.json", ".eslintrc.js"]);
    assert.deepEqual(notes, []);
  });

  it("refuses an environmentGlob outside the workspace root, naming the place", () => {
    assert.throws(
      () => lageRules({ pipeline: {}, cacheOptions: { environmentGlob: ["../shared.json"] } }),
      (error: unknown) =>
        error instanceof ParexError &&
        error.message ===
          'Invalid task rules (lage.config.js, cacheOptions.environmentGlob): expected globs inside the workspace root, got `["../shared.json"]` (array). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
  });

  it("refuses a pipeline it cannot read, naming the place", () => {
    assert.throws(
      () => lageRules({ pipeline: { build: "^build" } }),
      (error: unknown) =>
        error instanceof ParexError &&
        error.message ===
          'Invalid task rules (lage.config.js, pipeline.build): expected task names like ["^build"], or { "dependsOn": [...] }, got `"^build"` (string). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
  });
});

describe("loadLageConfig", () => {
  const config = '{ pipeline: { build: ["^build"], test: ["build"] } }';
  const expected = { pipeline: { build: ["^build"], test: ["build"] } };

  it("loads a CommonJS config (module.exports)", async () => {
    const dir = dirWith({ "lage.config.js": `module.exports = ${config};\n` });
    assert.deepEqual(await loadLageConfig(join(dir, "lage.config.js")), expected);
  });

  it("loads an ES module config (export default), in a type module package or as .mjs", async () => {
    const dir = dirWith({ "lage.config.js": `export default ${config};\n` }, true);
    assert.deepEqual(await loadLageConfig(join(dir, "lage.config.js")), expected);
    const mjs = dirWith({ "lage.config.mjs": `export default ${config};\n` });
    assert.deepEqual(await loadLageConfig(join(mjs, "lage.config.mjs")), expected);
  });

  it("names the file when the config throws", async () => {
    const dir = dirWith({
      "lage.config.js": 'throw new Error("no LAGE_TOKEN");\nmodule.exports = {};\n',
    });
    await assert.rejects(
      loadLageConfig(join(dir, "lage.config.js")),
      new ParexError(
        "CONFIG_SYNTAX",
        "Cannot load lage.config.js (the lage config read for task rules): no LAGE_TOKEN. Fix it, or give parex a pipeline of its own (docs/cache.md).",
      ),
    );
  });
});
