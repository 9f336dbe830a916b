import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, rmSync, symlinkSync, unlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { runGit } from "./run-git.js";
import type { GitRunner } from "./run-git.js";
import { InputHasher, inputDigest } from "./input-digest.js";
import type { InputDigestOptions } from "./input-digest.js";

const repos = tempRepos();
after(() => repos.removeAll());
const repoWith = repos.with;

/** The digest of `dir` (relative to the repo) with the repo as git's root. */
async function digestOf(
  repo: TempGitRepo,
  dir = ".",
  globs: Pick<InputDigestOptions, "include" | "exclude"> = {},
): Promise<string> {
  const result = await inputDigest({ repoRoot: repo.root, dir: join(repo.root, dir), ...globs });
  assert.equal(result.source, "git");
  return result.digest;
}

/** How many files of the repo's root a digest with these globs counts. */
async function countedFiles(repo: TempGitRepo, options: Partial<InputDigestOptions>) {
  return (await inputDigest({ repoRoot: repo.root, dir: repo.root, ...options })).files;
}

describe("input digests", () => {
  it("digest each file by its index blob id, which is git hash-object's", async () => {
    const repo = repoWith({ "b.txt": "b\n", "a.txt": "a\n" });
    repo.commitAll();
    const lines = ["a.txt", "b.txt"].map(
      (path) => `${path}\0${repo.git("hash-object", path).trim()}\n`,
    );
    const expected = createHash("sha256").update(lines.join("")).digest("hex");
    assert.deepEqual(await inputDigest({ repoRoot: repo.root, dir: repo.root }), {
      digest: expected,
      files: 2,
      paths: ["a.txt", "b.txt"],
      source: "git",
    });
  });

  it("change with an edit, come back when it is undone, and ignore a touch", async () => {
    const repo = repoWith({ "src/a.ts": "export const a = 1;\n" });
    repo.commitAll();
    const original = await digestOf(repo);
    repo.write("src/a.ts", "export const a = 2;\n");
    const edited = await digestOf(repo);
    assert.notEqual(edited, original);
    repo.write("src/a.ts", "export const a = 1;\n");
    assert.equal(await digestOf(repo), original);
    utimesSync(join(repo.root, "src/a.ts"), new Date(), new Date(2030, 0, 1));
    chmodSync(join(repo.root, "src/a.ts"), 0o600);
    assert.equal(await digestOf(repo), original);
  });

  it("count untracked files, not ignored ones, and not deleted ones", async () => {
    const repo = repoWith({ ".gitignore": "*.log\n", "a.txt": "a", "b.txt": "b" });
    repo.commitAll();
    const original = await digestOf(repo);
    repo.write("debug.log", "ignored");
    assert.equal(await digestOf(repo), original);
    repo.write("c.txt", "untracked");
    const withUntracked = await digestOf(repo);
    assert.notEqual(withUntracked, original);
    unlinkSync(join(repo.root, "b.txt"));
    assert.equal(await countedFiles(repo, {}), 3);
    assert.notEqual(await digestOf(repo), withUntracked);
  });

  it("do not change with a file of a sibling package", async () => {
    const repo = repoWith({ "packages/app/a.ts": "a", "packages/app-docs/b.md": "b" });
    repo.commitAll();
    const app = await digestOf(repo, "packages/app");
    repo.write("packages/app-docs/b.md", "edited");
    repo.write("packages/app-docs/new.md", "new");
    assert.equal(await digestOf(repo, "packages/app"), app);
  });

  it("work with paths holding a space, a newline and non-ASCII letters", async () => {
    const repo = repoWith({ "a b\nc/ünï 日本.txt": "x" });
    repo.commitAll();
    const original = await digestOf(repo);
    repo.write("a b\nc/ünï 日本.txt", "y");
    assert.notEqual(await digestOf(repo), original);
    const fresh = repoWith({ "a b\nc/ünï 日本.txt": "y" }, { init: false });
    assert.equal(
      (await inputDigest({ repoRoot: undefined, dir: fresh.root })).digest,
      await digestOf(repo),
    );
  });

  it("leave out excluded outputs and files matched by a ! glob in include", async () => {
    const repo = repoWith({
      "src/a.ts": "a",
      "src/README.md": "r",
      "README.md": "r",
      "dist/a.js": "a",
      ".env": "dotfile",
    });
    repo.commitAll();
    assert.equal(await countedFiles(repo, {}), 5);
    assert.equal(await countedFiles(repo, { exclude: ["dist/**"] }), 4);
    assert.equal(await countedFiles(repo, { include: ["!**/*.md"], exclude: ["dist/**"] }), 2);
    assert.equal(await countedFiles(repo, { include: ["./src/**", "!**/*.md"] }), 1);
    const base = await digestOf(repo, ".", { include: ["src/**"] });
    repo.write("dist/a.js", "rebuilt");
    repo.write("README.md", "edited");
    assert.equal(await digestOf(repo, ".", { include: ["src/**"] }), base);
    repo.write("src/a.ts", "edited");
    assert.notEqual(await digestOf(repo, ".", { include: ["src/**"] }), base);
  });

  it("hash a symbolic link by its target, so pointing it elsewhere changes the digest", async () => {
    const repo = repoWith({ "one.txt": "same", "two.txt": "same" });
    symlinkSync("one.txt", join(repo.root, "current"));
    repo.commitAll();
    const original = await digestOf(repo);
    unlinkSync(join(repo.root, "current"));
    symlinkSync("two.txt", join(repo.root, "current"));
    assert.notEqual(await digestOf(repo), original);
  });

  it("come from walking the directory outside git, equal to git's for the same files", async () => {
    const files = { "src/a.ts": "a", ".config": "c", "deep/er/b.bin": "\0\x01" };
    const repo = repoWith(files);
    symlinkSync("src/a.ts", join(repo.root, "link"));
    repo.commitAll();
    repo.write("untracked.txt", "u");
    repo.write("src/a.ts", "edited");
    const viaGit = await inputDigest({ repoRoot: repo.root, dir: repo.root });
    const plain = repoWith({}, { init: false });
    cpSync(repo.root, plain.root, { recursive: true, verbatimSymlinks: true });
    rmSync(join(plain.root, ".git"), { recursive: true });
    const walked = await inputDigest({ repoRoot: plain.root, dir: plain.root });
    assert.deepEqual(walked, { ...viaGit, source: "walk" });
    assert.deepEqual(await inputDigest({ repoRoot: undefined, dir: repo.root }), walked);
  });
});

describe("an input hasher", () => {
  function countingGit(): { git: GitRunner; calls: string[] } {
    const calls: string[] = [];
    const git: GitRunner = (args, cwd) => {
      calls.push(`${args.join(" ")} in ${cwd}`);
      return runGit(args, cwd);
    };
    return { git, calls };
  }

  it("lists the work tree with git once for every package's digests, even asked at once", async () => {
    const repo = repoWith({ "packages/a/x.ts": "x", "packages/a/x.test.ts": "t", "b/y.ts": "y" });
    repo.commitAll();
    const { git, calls } = countingGit();
    const hasher = new InputHasher({ git });
    const dir = join(repo.root, "packages/a");
    const [build, test] = await Promise.all([
      hasher.digest({ repoRoot: repo.root, dir, exclude: ["**/*.test.ts"] }),
      hasher.digest({ repoRoot: repo.root, dir }),
    ]);
    assert.deepEqual([build.files, test.files], [1, 2]);
    const once = calls.length;
    assert.equal(once, 4);
    await hasher.digest({ repoRoot: repo.root, dir: `${dir}/` });
    assert.equal(calls.length, once);
    const b = await hasher.digest({ repoRoot: repo.root, dir: join(repo.root, "b") });
    assert.equal(b.files, 1);
    assert.equal(calls.length, once, "another package comes from the same listing");
    await new InputHasher({ git }).digest({ repoRoot: repo.root, dir });
    assert.equal(calls.length, 2 * once);
  });

  it("tries a directory again after a listing that failed", async () => {
    const dir = repoWith({ "a.txt": "a" }, { init: false });
    const hasher = new InputHasher();
    const missing = join(dir.root, "later");
    await assert.rejects(hasher.digest({ repoRoot: undefined, dir: missing }), { code: "ENOENT" });
    dir.write("later/b.txt", "b");
    assert.equal((await hasher.digest({ repoRoot: undefined, dir: missing })).files, 1);
  });
});
