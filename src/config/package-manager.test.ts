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
    const dir = mkdtempSync(join(tmpdir(), "parex-pm-cli-"));
    mkdirSync(join(dir, "lib", "npm", "bin"), { recursive: true });
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "lib", "npm", "package.json"), '{"name":"npm","version":"10.9.2"}');
    writeFileSync(join(dir, "lib", "npm", "bin", "npm-cli.js"), "#!/usr/bin/env node\n");
    chmodSync(join(dir, "lib", "npm", "bin", "npm-cli.js"), 0o755);
    symlinkSync(join(dir, "lib", "npm", "bin", "npm-cli.js"), join(dir, "bin", "npm"));
    writeFileSync(join(dir, "package.json"), manifest());
    const found = detectPackageManager(dir, { path: `/nonexistent:${join(dir, "bin")}` });
    assert.deepEqual(found, {
      name: "npm",
      version: "10.9.2",
      runsHooks: true,
      execPath: join(dir, "lib", "npm", "bin", "npm-cli.js"),
    });
    const node = `node/${process.version} ${process.platform} ${process.arch}`;
    assert.equal(userAgent(found), `npm/10.9.2 ${node} workspaces/true`);
    assert.equal(
      userAgent({ name: "pnpm", version: "9.1.0", runsHooks: true }),
      `pnpm/9.1.0 npm/? ${node}`,
    );
    assert.equal(userAgent({ name: "yarn", runsHooks: true }), undefined);
  });
});
