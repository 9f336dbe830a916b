import assert from "node:assert/strict";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { blobId } from "./blob-id.js";
import { walkFileHashes } from "./walk-files.js";

const dirs = tempRepos();
after(() => dirs.removeAll());
const dirWith = (files: Record<string, string>): TempGitRepo => dirs.with(files, { init: false });

const hashOf = (content: string): string => blobId(Buffer.from(content));

describe("walked file hashes", () => {
  it("gives every file under the directory its git blob id, by a relative path with /", async () => {
    const dir = dirWith({ "a.txt": "a", "src/deep/b.ts": "b", ".hidden": "h", "sp ace\n": "s" });
    assert.deepEqual(Object.fromEntries(await walkFileHashes(dir.root)), {
      "a.txt": hashOf("a"),
      "src/deep/b.ts": hashOf("b"),
      ".hidden": hashOf("h"),
      "sp ace\n": hashOf("s"),
    });
  });

  it("skips .git, node_modules and .parex wherever they are", async () => {
    const dir = dirWith({
      "kept.txt": "k",
      ".git/HEAD": "ref",
      "node_modules/x/index.js": "x",
      "pkg/node_modules/y/index.js": "y",
      ".parex/cache/entry": "e",
      "pkg/.git": "gitdir: elsewhere",
    });
    symlinkSync("/", join(dir.root, "pkg", ".parex"));
    assert.deepEqual([...(await walkFileHashes(dir.root)).keys()], ["kept.txt"]);
  });

  it("hashes symbolic links by their target and never walks into a linked directory", async () => {
    const dir = dirWith({ "real/file.txt": "f" });
    symlinkSync("real", join(dir.root, "linked-dir"));
    symlinkSync(".", join(dir.root, "real", "loop"));
    symlinkSync("nowhere", join(dir.root, "dangling"));
    assert.deepEqual(Object.fromEntries(await walkFileHashes(dir.root)), {
      "real/file.txt": hashOf("f"),
      "real/loop": hashOf("."),
      "linked-dir": hashOf("real"),
      dangling: hashOf("nowhere"),
    });
  });

  it("leaves out what ignore rejects, and never asks about what is inside an ignored directory", async () => {
    const dir = dirWith({ "dist/out.js": "o", "src/a.ts": "a", "src/a.test.ts": "t" });
    mkdirSync(join(dir.root, "empty"));
    const asked: string[] = [];
    const ignore = (relPath: string, isDir: boolean): boolean => {
      asked.push(`${relPath}${isDir ? "/" : ""}`);
      return relPath === "dist" || relPath.endsWith(".test.ts");
    };
    assert.deepEqual([...(await walkFileHashes(dir.root, { ignore })).keys()], ["src/a.ts"]);
    assert.deepEqual(asked.sort(), ["dist/", "empty/", "src/", "src/a.test.ts", "src/a.ts"]);
  });

  it("hashes a directory of many files, each once", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`d${i % 7}/f${i}.txt`, `content ${i}`]),
    );
    const hashes = await walkFileHashes(dirWith(files).root);
    assert.equal(hashes.size, 300);
    assert.equal(hashes.get("d5/f299.txt"), hashOf("content 299"));
  });

  it("rejects when the directory does not exist", async () => {
    const dir = dirWith({});
    await assert.rejects(walkFileHashes(join(dir.root, "missing")), { code: "ENOENT" });
  });
});
