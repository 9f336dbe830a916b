import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectPackageManager, userAgent } from "./package-manager.js";

/** A workspace root holding `files` (name → content); no package manager CLI on PATH. */
function detect(files: Record<string, string>): ReturnType<typeof detectPackageManager> {
  const dir = mkdtempSync(join(tmpdir(), "parex-pm-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return detectPackageManager(dir, { path: "" });
}

const manifest = (fields: object = {}): string =>
  JSON.stringify({ private: true, workspaces: ["packages/*"], ...fields });

describe("detectPackageManager", () => {
  it("takes package.json#packageManager first, then the lockfile, then pnpm-workspace.yaml", () => {
    const cases: [Record<string, string>, string, string | undefined][] = [
      [{ "package.json": manifest({ packageManager: "pnpm@9.1.0+sha512.abc" }) }, "pnpm", "9.1.0"],
      [
        { "package.json": manifest({ packageManager: "yarn@1.22.22" }), "package-lock.json": "{}" },
        "yarn",
        "1.22.22",
      ],
      [{ "package.json": manifest(), "pnpm-lock.yaml": "" }, "pnpm", undefined],
      [{ "package.json": manifest(), "yarn.lock": "" }, "yarn", undefined],
      [{ "package.json": manifest(), "package-lock.json": "{}" }, "npm", undefined],
      [{ "package.json": manifest(), "pnpm-workspace.yaml": "packages: []" }, "pnpm", undefined],
      [{ "package.json": manifest() }, "npm", undefined],
    ];
    for (const [files, name, version] of cases) {
      const found = detect(files);
      assert.deepEqual([found.name, found.version], [name, version], JSON.stringify(files));
    }
  });

  it("runs pre/post hooks as each package manager does", () => {
    const cases: [Record<string, string>, boolean][] = [
      [{ "package.json": manifest() }, true],
      [{ "package.json": manifest(), ".npmrc": "ignore-scripts=true\n" }, false],
      [{ "package.json": manifest({ packageManager: "yarn@1.22.22" }) }, true],
      [{ "package.json": manifest({ packageManager: "yarn@4.5.3" }) }, false],
      [{ "package.json": manifest(), "yarn.lock": "# yarn lockfile v1\n" }, true],
      [
        { "package.json": manifest(), "yarn.lock": "# generated\n\n__metadata:\n  version: 8\n" },
        false,
      ],
      [{ "package.json": manifest(), "yarn.lock": "", ".yarnrc.yml": "" }, false],
      [{ "package.json": manifest({ packageManager: "pnpm@5.18.10" }) }, true],
      [{ "package.json": manifest({ packageManager: "pnpm@8.15.9" }) }, false],
      [
        {
          "package.json": manifest({ packageManager: "pnpm@8.15.9" }),
          ".npmrc": "enable-pre-post-scripts = true",
        },
        true,
      ],
      [{ "package.json": manifest({ packageManager: "pnpm@9.0.0" }) }, true],
      [
        {
          "package.json": manifest({ packageManager: "pnpm@10.2.0" }),
          ".npmrc": "enable-pre-post-scripts=false",
        },
        false,
      ],
      [
        {
          "package.json": manifest(),
          "pnpm-workspace.yaml": "packages: []\nenablePrePostScripts: false\n",
        },
        false,
      ],
      [{ "package.json": manifest(), "pnpm-lock.yaml": "lockfileVersion: '6.0'\n" }, false],
      [{ "package.json": manifest(), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" }, true],
      [{ "package.json": manifest(), "pnpm-workspace.yaml": "packages: []" }, true],
    ];
    for (const [files, hooks] of cases) {
      assert.equal(detect(files).runsHooks, hooks, JSON.stringify(files));
    }
  });

  it("finds the CLI on PATH, and its version when package.json does not say", () => {
    const { bin, script } = fakeCli("npm", "10.9.2", "bin/npm-cli.js");
    const dir = mkdtempSync(join(tmpdir(), "parex-pm-"));
    writeFileSync(join(dir, "package.json"), manifest());
    const found = detectPackageManager(dir, { path: `/nonexistent:${bin}` });
    assert.deepEqual(found, { name: "npm", version: "10.9.2", runsHooks: true, execPath: script });
    const node = `node/${process.version} ${process.platform} ${process.arch}`;
    assert.equal(userAgent(found), `npm/10.9.2 ${node} workspaces/true`);
    assert.equal(
      userAgent({ name: "pnpm", version: "9.1.0", runsHooks: true }),
      `pnpm/9.1.0 npm/? ${node}`,
    );
    assert.equal(userAgent({ name: "yarn", runsHooks: true }), undefined);
  });

  it("judges hooks by the CLI on PATH, unless the repository says otherwise", () => {
    const pnpm8 = fakeCli("pnpm", "8.15.9", "bin/pnpm.cjs").bin;
    const yarn1 = fakeCli("yarn", "1.22.22", "bin/yarn.js").bin;
    const cases: [Record<string, string>, string, boolean][] = [
      [{ "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" }, pnpm8, false],
      [
        { "pnpm-lock.yaml": "", "package.json": manifest({ packageManager: "pnpm@9.0.0" }) },
        pnpm8,
        true,
      ],
      [{ "yarn.lock": "" }, yarn1, true],
      // A global yarn 1 hands a repository with .yarnrc.yml to the yarn 2+ it names.
      [
        { "yarn.lock": "", ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.5.3.cjs\n" },
        yarn1,
        false,
      ],
    ];
    for (const [files, path, hooks] of cases) {
      const dir = mkdtempSync(join(tmpdir(), "parex-pm-"));
      writeFileSync(join(dir, "package.json"), manifest());
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      assert.equal(detectPackageManager(dir, { path }).runsHooks, hooks, JSON.stringify(files));
    }
  });
});

/** A package manager's CLI `script` in its package, and a bin directory linking to it. */
function fakeCli(name: string, version: string, script: string): { bin: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), `parex-${name}-`));
  const file = join(dir, "lib", name, script);
  mkdirSync(join(file, ".."), { recursive: true });
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "lib", name, "package.json"), JSON.stringify({ name, version }));
  writeFileSync(file, "#!/usr/bin/env node\n");
  chmodSync(file, 0o755);
  symlinkSync(file, join(dir, "bin", name));
  return { bin: join(dir, "bin"), script: file };
}
