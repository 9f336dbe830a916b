import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { after, describe, it } from "node:test";
import { packArtifact, unpackArtifact } from "./artifact.js";
import { matchOutputs } from "./output-files.js";
import { encodeTar } from "./tar-codec.js";
import { tempDirs } from "../testing/index.js";

const temp = tempDirs("parex-artifact-");
after(temp.removeAll);
const tempDir = temp.make;

/** Writes `files` (path → bytes) under `root`, making directories on the way. */
function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Packs what `globs` match under `from`, restores it into `to`. */
async function copyOutputs(from: string, to: string, globs: readonly string[], log = "") {
  const files = await matchOutputs(from, globs);
  return unpackArtifact(await packArtifact({ root: from, files, log }), to, globs);
}

describe("artifacts", () => {
  it("restores files byte for byte: binary, empty, 5 MB, unicode names, nested directories", async () => {
    const files = {
      "dist/binary.bin": Buffer.from([0, 255, 1, 254, 0, 0, 10, 13]),
      "dist/empty.txt": "",
      "dist/big.bin": randomBytes(5 * 1024 * 1024),
      "dist/ünïcödé/日本語.js": "export const 名前 = 1;\n",
      [`dist/${"deep/".repeat(40)}leaf.js`]: "leaf",
    };
    const from = tempDir();
    const to = tempDir();
    write(from, files);
    const { files: restored } = await copyOutputs(from, to, ["dist/**"]);
    assert.deepEqual(restored, Object.keys(files).sort());
    assert.deepEqual(await matchOutputs(to, ["**"]), Object.keys(files).sort());
    for (const [path, content] of Object.entries(files)) {
      assert.deepEqual(readFileSync(join(to, path)), Buffer.from(content), path);
    }
  });

  it("keeps each file's mode, the executable bit included, without group or other write", async () => {
    const from = tempDir();
    const to = tempDir();
    const modes = {
      "bin/cli.js": 0o755,
      "bin/lib.js": 0o644,
      "bin/secret": 0o600,
      "bin/shared": 0o775,
    };
    for (const [path, mode] of Object.entries(modes)) {
      write(from, { [path]: path });
      chmodSync(join(from, path), mode);
    }
    // A narrow umask must not narrow the restored modes.
    const umask = process.umask(0o077);
    try {
      await copyOutputs(from, to, ["bin/*"]);
    } finally {
      process.umask(umask);
    }
    const restored = Object.keys(modes).map((path) => statSync(join(to, path)).mode & 0o777);
    assert.deepEqual(restored, [0o755, 0o644, 0o600, 0o755]);
  });

  it("restores a symlink as a symlink with its target text unchanged, even one leading outside", async () => {
    const from = tempDir();
    const to = tempDir();
    write(from, { "dist/index.js": "x" });
    symlinkSync("index.js", join(from, "dist/main.js"));
    symlinkSync("../../shared/lib", join(from, "dist/shared"));
    symlinkSync("/usr/lib/absolute", join(from, "dist/absolute"));
    await copyOutputs(from, to, ["dist/**"]);
    for (const [link, target] of [
      ["dist/main.js", "index.js"],
      ["dist/shared", "../../shared/lib"],
      ["dist/absolute", "/usr/lib/absolute"],
    ] as const) {
      assert.ok(lstatSync(join(to, link)).isSymbolicLink(), link);
      assert.equal(readlinkSync(join(to, link)), target);
    }
    assert.equal(readFileSync(join(to, "dist/main.js"), "utf8"), "x");
  });

  it("deletes stale outputs on restore and keeps files the globs do not match", async () => {
    const from = tempDir();
    const to = tempDir();
    const globs = ["dist/**", "!dist/**/*.map"];
    write(from, { "dist/a.js": "new a", "dist/a.js.map": "map from the build" });
    write(to, {
      "dist/a.js": "old a",
      "dist/old.js": "emitted by an older build",
      "dist/sub/older.js": "also stale",
      "dist/a.js.map": "excluded, so kept",
      "src/index.ts": "source",
    });
    symlinkSync("old.js", join(to, "dist/stale-link"));
    const { files } = await copyOutputs(from, to, globs);
    assert.deepEqual(files, ["dist/a.js"]);
    assert.deepEqual(await matchOutputs(to, ["**"]), [
      "dist/a.js",
      "dist/a.js.map",
      "src/index.ts",
    ]);
    assert.equal(readFileSync(join(to, "dist/a.js"), "utf8"), "new a");
    assert.equal(readFileSync(join(to, "dist/a.js.map"), "utf8"), "excluded, so kept");
  });

  it("replaces a read-only file, a symlink and an empty directory standing where a file goes", async () => {
    const from = tempDir();
    const to = tempDir();
    const outside = tempDir();
    write(outside, { "victim.txt": "must not change" });
    write(from, { "dist/readonly.js": "new", "dist/was-link.js": "new", "dist/was-dir": "new" });
    write(to, { "dist/readonly.js": "old" });
    chmodSync(join(to, "dist/readonly.js"), 0o444);
    symlinkSync(join(outside, "victim.txt"), join(to, "dist/was-link.js"));
    mkdirSync(join(to, "dist/was-dir"));
    await copyOutputs(from, to, ["dist/**"]);
    for (const path of ["dist/readonly.js", "dist/was-link.js", "dist/was-dir"]) {
      assert.ok(lstatSync(join(to, path)).isFile(), path);
      assert.equal(readFileSync(join(to, path), "utf8"), "new", path);
    }
    assert.equal(readFileSync(join(outside, "victim.txt"), "utf8"), "must not change");
  });

  it("replaces a file standing where a directory goes", async () => {
    const from = tempDir();
    const to = tempDir();
    write(from, { "dist/lib/a.js": "a" });
    write(to, { "dist/lib": "a file, once" });
    await copyOutputs(from, to, ["dist/**"]);
    assert.equal(readFileSync(join(to, "dist/lib/a.js"), "utf8"), "a");
  });

  it("leaves outputs already in place untouched, and says whether it changed anything", async () => {
    const from = tempDir();
    write(from, { "dist/a.js": "a\n", "dist/b.js": "b\n" });
    symlinkSync("a.js", join(from, "dist/link.js"));
    const to = tempDir();
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, true, "first restore");
    const long = new Date("2020-01-01T00:00:00Z");
    utimesSync(join(to, "dist/a.js"), long, long);
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, false, "all in place");
    assert.equal(statSync(join(to, "dist/a.js")).mtimeMs, long.getTime(), "not rewritten");
    writeFileSync(join(to, "dist/b.js"), "B\n");
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, true, "content differs");
    assert.equal(readFileSync(join(to, "dist/b.js"), "utf8"), "b\n");
    chmodSync(join(to, "dist/a.js"), 0o755);
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, true, "mode differs");
    assert.equal(statSync(join(to, "dist/a.js")).mode & 0o777, 0o644);
    rmSync(join(to, "dist/link.js"));
    symlinkSync("b.js", join(to, "dist/link.js"));
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, true, "link differs");
    assert.equal(readlinkSync(join(to, "dist/link.js")), "a.js");
    write(to, { "dist/stale.js": "old\n" });
    assert.equal((await copyOutputs(from, to, ["dist/**"])).changed, true, "a stale file");
    assert.equal(existsSync(join(to, "dist/stale.js")), false);
  });

  it("gives the log back as it was packed", async () => {
    const log = '{"stream":"stdout","text":"built ✓\\n"}\n{"stream":"stderr","text":"warn\\n"}\n';
    const { log: restored } = await copyOutputs(tempDir(), tempDir(), ["dist/**"], log);
    assert.equal(restored, log);
  });

  it("makes identical bytes of equal outputs, whatever their times, owners' umask or listing order", async () => {
    const [first, second] = [tempDir(), tempDir()];
    const files = { "dist/b.js": "b", "dist/a.js": "a", "dist/sub/c.js": "c" };
    write(first, files);
    write(second, files);
    chmodSync(join(second, "dist/a.js"), 0o664);
    utimesSync(join(second, "dist/b.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const log = "log";
    const one = await packArtifact({ root: first, files: Object.keys(files), log });
    const two = await packArtifact({ root: second, files: Object.keys(files).reverse(), log });
    assert.ok(one.equals(two));
    const three = await packArtifact({ root: second, files: ["dist/a.js"], log });
    assert.ok(!one.equals(three));
  });

  it("refuses to pack a path outside the root or in the reserved folder", async () => {
    const root = tempDir();
    await assert.rejects(packArtifact({ root, files: ["../x"], log: "" }), {
      message: `Cannot pack output "../x": its path contains '..'. List paths as matchOutputs does.`,
    });
    await assert.rejects(packArtifact({ root, files: [".parex-cache/log.jsonl"], log: "" }), {
      message: `Cannot pack output ".parex-cache/log.jsonl": it is reserved. List paths as matchOutputs does.`,
    });
  });

  it("refuses an archive without the log at its end, writing nothing", async () => {
    const to = tempDir();
    const tar = encodeTar([{ type: "file", path: "a.js", mode: 0o644, data: Buffer.from("a") }]);
    await assert.rejects(unpackArtifact(await promisify(gzip)(tar), to, ["**"]), {
      message:
        "Cache artifact has no .parex-cache/log.jsonl at its end: it was cut short, or was not made by parex. Delete it from the cache.",
    });
    assert.equal(existsSync(join(to, "a.js")), false);
  });

  it("refuses bytes that are not a gzip-compressed tar", async () => {
    await assert.rejects(unpackArtifact(Buffer.from("not an artifact"), tempDir(), ["**"]), {
      code: "Z_DATA_ERROR",
    });
  });
});
