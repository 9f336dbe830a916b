import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { dirname, join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { matchOutputs } from "./output-files.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A package directory holding `files` (path → content; a content of `-> target` is a symlink). */
function packageWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "parex-outputs-"));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (content.startsWith("-> ")) symlinkSync(content.slice(3), join(root, path));
    else writeFileSync(join(root, path), content);
  }
  return root;
}

/** The directories `fs.promises.readdir` was asked for while `action` ran, sorted. */
async function directoriesReadBy(action: () => Promise<unknown>): Promise<string[]> {
  const fsPromises = createRequire(import.meta.url)(
    "node:fs/promises",
  ) as typeof import("node:fs/promises");
  const readdir = fsPromises.readdir;
  const read: string[] = [];
  fsPromises.readdir = ((path: string, options: never) => {
    read.push(path);
    return readdir(path, options);
  }) as typeof readdir;
  syncBuiltinESMExports();
  try {
    await action();
  } finally {
    fsPromises.readdir = readdir;
    syncBuiltinESMExports();
  }
  return read.sort();
}

describe("matchOutputs", () => {
  it("lists the files under a glob's directory as sorted POSIX paths, dot files included", async () => {
    const root = packageWith({
      "dist/b.js": "",
      "dist/a.js": "",
      "dist/sub/c.js": "",
      "dist/.hidden": "",
      "src/index.ts": "",
      "README.md": "",
    });
    assert.deepEqual(await matchOutputs(root, ["dist/**"]), [
      "dist/.hidden",
      "dist/a.js",
      "dist/b.js",
      "dist/sub/c.js",
    ]);
  });

  it("leaves out what a ! glob matches", async () => {
    const root = packageWith({ "dist/a.js": "", "dist/a.js.map": "", "dist/sub/b.js.map": "" });
    assert.deepEqual(await matchOutputs(root, ["dist/**", "!dist/**/*.map"]), ["dist/a.js"]);
  });

  it("lists a symlink as an entry and never walks into a symlinked directory", async () => {
    const root = packageWith({
      "elsewhere/inner.js": "",
      "dist/link-to-dir": "-> ../elsewhere",
      "dist/link-to-file": "-> ../elsewhere/inner.js",
      "dist/dangling": "-> nowhere",
    });
    assert.deepEqual(await matchOutputs(root, ["dist/**"]), [
      "dist/dangling",
      "dist/link-to-dir",
      "dist/link-to-file",
    ]);
  });

  it("does not list empty directories", async () => {
    const root = packageWith({ "dist/a.js": "" });
    mkdirSync(join(root, "dist/empty/deeper"), { recursive: true });
    assert.deepEqual(await matchOutputs(root, ["dist/**"]), ["dist/a.js"]);
  });

  it("skips .git and node_modules unless a glob names them", async () => {
    const root = packageWith({
      "a.js": "",
      ".git/HEAD": "",
      "node_modules/x/index.js": "",
      "lib/node_modules/y.js": "",
    });
    assert.deepEqual(await matchOutputs(root, ["**/*.js", "**/HEAD"]), ["a.js"]);
    assert.deepEqual(await matchOutputs(root, ["node_modules/**"]), ["node_modules/x/index.js"]);
    assert.deepEqual(await matchOutputs(root, [".git/*"]), [".git/HEAD"]);
  });

  it("reads only the directories on the way to a glob's static prefix", async () => {
    const root = packageWith({
      "dist/esm/a.js": "",
      "dist/types/a.d.ts": "",
      "src/a.js": "",
      "docs/x/y.md": "",
      "other/file": "",
    });
    const read = await directoriesReadBy(() => matchOutputs(root, ["dist/esm/**", "./other/file"]));
    assert.deepEqual(
      read.map((dir) => relative(root, dir)),
      ["", "dist", "other", "dist/esm"].sort(),
    );
  });

  it("finds nothing when every glob excludes", async () => {
    const root = packageWith({ "a.js": "" });
    assert.deepEqual(await matchOutputs(root, ["!a.js"]), []);
  });

  it("fails when the root does not exist", async () => {
    await assert.rejects(matchOutputs(join(tmpdir(), "parex-no-such-dir-xyz"), ["**"]), {
      code: "ENOENT",
    });
  });
});
