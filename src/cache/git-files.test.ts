import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { blobId } from "./blob-id.js";
import { gitFileHashes, listGitFilesEarly } from "./git-files.js";

const repos = tempRepos();
after(() => repos.removeAll());
const repoWith = repos.with;

async function hashes(repo: TempGitRepo, dir = "."): Promise<Record<string, string>> {
  const map = await gitFileHashes(repo.root, join(repo.root, dir));
  assert.ok(map !== undefined, "git was not used");
  return Object.fromEntries(map);
}

const hashOf = (content: string): string => blobId(Buffer.from(content));

describe("git file hashes", () => {
  it("gives a tracked, unchanged file the index's blob id, which is git hash-object's", async () => {
    const repo = repoWith({ "pkg/a.txt": "a\n", "pkg/src/b.ts": "export {};\n" });
    repo.commitAll();
    assert.deepEqual(await hashes(repo, "pkg"), {
      "a.txt": repo.git("hash-object", "pkg/a.txt").trim(),
      "src/b.ts": repo.git("rev-parse", "HEAD:pkg/src/b.ts").trim(),
    });
  });

  it("takes an unchanged file's id from the index without reading the file", async () => {
    const repo = repoWith({ "a.txt": "committed\n" });
    repo.commitAll();
    // Told the file is unchanged, git does not look at it: neither may parex.
    repo.git("update-index", "--assume-unchanged", "a.txt");
    repo.write("a.txt", "edited\n");
    assert.deepEqual(await hashes(repo), { "a.txt": hashOf("committed\n") });
  });

  it("hashes an edited file's new content, and its old id comes back when the edit is undone", async () => {
    const repo = repoWith({ "a.txt": "one\n" });
    repo.commitAll();
    repo.write("a.txt", "two\n");
    assert.deepEqual(await hashes(repo), { "a.txt": hashOf("two\n") });
    repo.write("a.txt", "one\n");
    assert.deepEqual(await hashes(repo), { "a.txt": hashOf("one\n") });
    utimesSync(join(repo.root, "a.txt"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.deepEqual(await hashes(repo), { "a.txt": hashOf("one\n") });
  });

  it("counts untracked files but not ignored ones, and leaves deleted files out", async () => {
    const repo = repoWith({ ".gitignore": "*.log\nbuild/\n", "kept.txt": "k", "gone.txt": "g" });
    repo.commitAll();
    repo.write("new.txt", "n");
    repo.write("debug.log", "ignored");
    repo.write("build/out.js", "ignored");
    unlinkSync(join(repo.root, "gone.txt"));
    assert.deepEqual(Object.keys(await hashes(repo)).sort(), [".gitignore", "kept.txt", "new.txt"]);
  });

  it("lists only the files under dir, by their paths relative to it", async () => {
    const repo = repoWith({ "packages/a/x.ts": "a", "packages/ab/y.ts": "ab", "root.txt": "r" });
    repo.commitAll();
    repo.write("packages/a/untracked.ts", "u");
    repo.write("packages/ab/untracked.ts", "u");
    repo.write("packages/ab/y.ts", "changed");
    assert.deepEqual(Object.keys(await hashes(repo, "packages/a")).sort(), [
      "untracked.ts",
      "x.ts",
    ]);
  });

  it("keeps paths with spaces, tabs, newlines and non-ASCII letters exactly", async () => {
    const names = ["with space.txt", "tab\there", "new\nline", "ünïcødé/日本.txt", '"quoted"'];
    const repo = repoWith(Object.fromEntries(names.map((name) => [name, name])));
    repo.commitAll();
    repo.write("untracked é\n.txt", "u");
    repo.write("ünïcødé/日本.txt", "edited");
    assert.deepEqual(await hashes(repo), {
      ...Object.fromEntries(names.map((name) => [name, hashOf(name)])),
      "untracked é\n.txt": hashOf("u"),
      "ünïcødé/日本.txt": hashOf("edited"),
    });
  });

  it("hashes a symbolic link by its target, never following it", async () => {
    const repo = repoWith({ "dir/inner.txt": "i", "target.txt": "t" });
    symlinkSync("target.txt", join(repo.root, "link"));
    repo.commitAll();
    symlinkSync("dir", join(repo.root, "dir-link"));
    const before = await hashes(repo);
    assert.equal(before["link"], repo.git("rev-parse", "HEAD:link").trim());
    assert.equal(before["link"], hashOf("target.txt"));
    assert.equal(before["dir-link"], hashOf("dir"));
    assert.equal(before["dir-link/inner.txt"], undefined);
    unlinkSync(join(repo.root, "link"));
    symlinkSync("dir/inner.txt", join(repo.root, "link"));
    assert.equal((await hashes(repo))["link"], hashOf("dir/inner.txt"));
  });

  it("gives a submodule the commit it has checked out, and leaves untracked repositories out", async () => {
    const sub = repoWith({ "s.txt": "1" });
    sub.commitAll();
    const first = sub.git("rev-parse", "HEAD").trim();
    const repo = repoWith({ "a.txt": "a" });
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.root, "sub");
    repo.commitAll();
    repo.git("init", "-q", "nested");
    repo.write("nested/n.txt", "n");
    assert.equal((await hashes(repo))["sub"], first);
    const inSub = (...args: string[]): string => repo.git("-C", "sub", ...args);
    repo.write("sub/s.txt", "2");
    inSub("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "two");
    const result = await hashes(repo);
    assert.equal(result["sub"], inSub("rev-parse", "HEAD").trim());
    assert.notEqual(result["sub"], first);
    assert.deepEqual(Object.keys(result).sort(), [".gitmodules", "a.txt", "sub"]);
  });

  it("hashes a file with a merge conflict from the work tree", async () => {
    const repo = repoWith({ "a.txt": "base\n" });
    repo.commitAll();
    repo.git("checkout", "-q", "-b", "other");
    repo.write("a.txt", "other\n");
    repo.commitAll();
    repo.git("checkout", "-q", "main");
    repo.write("a.txt", "main\n");
    repo.commitAll();
    const merge = spawnSync("git", ["merge", "-q", "other"], { cwd: repo.root });
    assert.equal(merge.status, 1);
    const conflicted = readFileSync(join(repo.root, "a.txt"), "utf8");
    assert.deepEqual(await hashes(repo), { "a.txt": hashOf(conflicted) });
  });

  it("never writes the index, even with files whose stat data is stale", async () => {
    const repo = repoWith({ "a.txt": "a", "b.txt": "b" });
    repo.commitAll();
    utimesSync(join(repo.root, "a.txt"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const index = readFileSync(join(repo.root, ".git", "index"));
    await hashes(repo);
    assert.deepEqual(readFileSync(join(repo.root, ".git", "index")), index);
  });

  it("gives nothing outside a git work tree, or when repoRoot is not its top", async () => {
    const plain = repoWith({ "a.txt": "a" }, { init: false });
    assert.equal(await gitFileHashes(plain.root, plain.root), undefined);
    const repo = repoWith({ "pkg/a.txt": "a" });
    const pkg = join(repo.root, "pkg");
    assert.equal(await gitFileHashes(pkg, pkg), undefined);
    rmSync(join(repo.root, ".git"), { recursive: true });
    assert.equal(await gitFileHashes(repo.root, repo.root), undefined);
  });

  it("gives nothing when git is not installed", () => {
    const repo = repoWith({ "a.txt": "a" });
    const module = JSON.stringify(new URL("./git-files.ts", import.meta.url).href);
    const root = JSON.stringify(repo.root);
    const script = `import(${module}).then(async ({ gitFileHashes }) =>
      process.stdout.write(String(await gitFileHashes(${root}, ${root}))))`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      env: { ...process.env, PATH: "/nonexistent" },
      encoding: "utf8",
    });
    assert.equal(child.stderr, "");
    assert.equal(child.stdout, "undefined");
  });

  it("takes a listing started early once, then lists afresh", async () => {
    const repo = repoWith({ "a.txt": "a\n" });
    repo.commitAll();
    await listGitFilesEarly(repo.root);
    repo.write("late.txt", "written after git listed\n");
    assert.deepEqual(Object.keys(await hashes(repo)), ["a.txt"], "the early listing");
    assert.deepEqual(Object.keys(await hashes(repo)).sort(), ["a.txt", "late.txt"]);
  });
});
