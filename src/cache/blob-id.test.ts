import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempGitRepo } from "../testing/index.js";
import { blobId, fileBlobId, fileBlobIds } from "./blob-id.js";

const repo = tempGitRepo();
after(() => repo.remove());

describe("blob ids", () => {
  it("are what git hash-object prints, for empty, text and binary content", async () => {
    const contents = ["", "hello\n", Buffer.from([0, 255, 10, 13, 0])];
    for (const [i, content] of contents.entries()) {
      const path = repo.write(`file-${i}`, content);
      const expected = repo.git("hash-object", path).trim();
      assert.equal(blobId(Buffer.from(content)), expected);
      assert.equal(await fileBlobId(path), expected);
    }
    assert.equal(blobId(Buffer.alloc(0)), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });

  it("hashes a file too large to read whole a chunk at a time, to the same id as git", async () => {
    const content = Buffer.alloc(33 * 1024 * 1024 + 7, "abc");
    const path = repo.write("large.bin", content);
    assert.equal(await fileBlobId(path), repo.git("hash-object", path).trim());
  });

  it("hashes a symbolic link by its target's text, as git stores it, even a dangling one", async () => {
    const path = join(repo.root, "link");
    symlinkSync("no/such target", path);
    assert.equal(await fileBlobId(path), blobId(Buffer.from("no/such target")));
  });

  it("gives nothing for a path that is gone, a directory or a FIFO (which it never opens)", async () => {
    mkdirSync(join(repo.root, "a-dir"));
    execFileSync("mkfifo", [join(repo.root, "fifo")]);
    assert.equal(await fileBlobId(join(repo.root, "fifo")), undefined);
    assert.equal(await fileBlobId(join(repo.root, "a-dir")), undefined);
    assert.equal(await fileBlobId(join(repo.root, "missing")), undefined);
    assert.equal(await fileBlobId(join(repo.root, "file-0", "under-a-file")), undefined);
  });

  it("gives many files' ids in order, read at once, as one at a time: small, large, links, gone", async () => {
    const small = Array.from({ length: 300 }, (_, i) => repo.write(`many/${i}.js`, `${i}\n`));
    const big = repo.write("many/big.bin", Buffer.alloc(2 * 1024 * 1024 + 3, "xyz"));
    const link = join(repo.root, "many", "link");
    symlinkSync("0.js", link);
    const paths = [...small, big, link, join(repo.root, "many", "gone"), join(repo.root, "fifo")];
    const one = await Promise.all(paths.map((path) => fileBlobId(path)));
    assert.deepEqual(await fileBlobIds(paths), one);
    assert.equal(one[300], repo.git("hash-object", big).trim());
    assert.equal(one.filter((id) => id === undefined).length, 2);
  });
});
