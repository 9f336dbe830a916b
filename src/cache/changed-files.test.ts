import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { changedFiles, ignoredPaths } from "./changed-files.js";

const repos = tempRepos();
after(() => repos.removeAll());

/** A repository whose main has a/x and b/y, with a branch `work` checked out at main. */
function repository(): TempGitRepo {
  const repo = repos.with({ "a/x": "1\n", "b/y": "1\n", "c/z": "1\n", ".gitignore": "out/\n" });
  repo.commitAll();
  repo.git("checkout", "-q", "-b", "work");
  return repo;
}

describe("changedFiles", () => {
  it("lists commits since the merge base, uncommitted and untracked files, but not ignored ones", async () => {
    const repo = repository();
    repo.write("a/x", "2\n");
    repo.commitAll();
    repo.git("checkout", "-q", "main");
    repo.write("c/z", "changed on main only\n");
    repo.commitAll();
    repo.git("checkout", "-q", "work");
    repo.git("mv", "b/y", "b/renamed");
    repo.write("new/file", "untracked\n");
    repo.write("out/built", "ignored\n");
    const result = await changedFiles(repo.root, { base: undefined, env: {} });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      { base: result.base, source: result.source },
      { base: "main", source: "default" },
    );
    assert.deepEqual(result.files, ["a/x", "b/renamed", "b/y", "new/file"]);
  });

  it("takes --base over PAREX_BASE, and PAREX_BASE over the default", async () => {
    const repo = repository();
    repo.git("tag", "v1");
    const env = { PAREX_BASE: "v1" };
    const fromEnv = await changedFiles(repo.root, { base: undefined, env });
    assert.ok(fromEnv.ok);
    assert.deepEqual([fromEnv.base, fromEnv.source], ["v1", "PAREX_BASE"]);
    const given = await changedFiles(repo.root, { base: "HEAD", env });
    assert.ok(given.ok);
    assert.deepEqual([given.base, given.source], ["HEAD", "--base"]);
  });

  it("uses origin/$GITHUB_BASE_REF when it resolves, else falls back to main", async () => {
    const repo = repository();
    const env = { GITHUB_BASE_REF: "release" };
    const missing = await changedFiles(repo.root, { base: undefined, env });
    assert.ok(missing.ok);
    assert.equal(missing.base, "main");
    repo.git("update-ref", "refs/remotes/origin/release", "HEAD");
    const found = await changedFiles(repo.root, { base: undefined, env });
    assert.ok(found.ok);
    assert.deepEqual([found.base, found.source], ["origin/release", "GITHUB_BASE_REF"]);
  });

  it("says which base does not resolve, and when there is no default", async () => {
    const repo = repository();
    assert.deepEqual(await changedFiles(repo.root, { base: "origin/nope", env: {} }), {
      ok: false,
      reason: "unknown-base",
      ref: "origin/nope",
      source: "--base",
    });
    repo.git("branch", "-m", "main", "trunk");
    assert.deepEqual(await changedFiles(repo.root, { base: undefined, env: {} }), {
      ok: false,
      reason: "no-default-base",
      tried: ["main", "master"],
    });
  });

  it("says when the directory is not in a repository, or it has no commit", async () => {
    const plain = repos.with({ "a/x": "1\n" }, { init: false });
    assert.deepEqual(await changedFiles(plain.root, { base: "main", env: {} }), {
      ok: false,
      reason: "not-a-repository",
      dir: plain.root,
    });
    const empty = repos.with({ "a/x": "1\n" });
    const result = await changedFiles(join(empty.root, "a"), { base: "main", env: {} });
    assert.equal(result.ok ? "ok" : result.reason, "no-commit");
  });
});

describe("ignoredPaths", () => {
  it("returns the paths git ignores, and none when it ignores none", async () => {
    const repo = repository();
    const built = join(repo.root, "out", "built");
    const source = join(repo.root, "a", "x");
    assert.deepEqual([...(await ignoredPaths(repo.root, [built, source]))], [built]);
    assert.deepEqual([...(await ignoredPaths(repo.root, [source]))], []);
  });
});
