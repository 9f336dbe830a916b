import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../../src/testing/index.js";
import type { TempGitRepo } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const repos = tempRepos();
after(() => repos.removeAll());

/**
 * An npm workspace on branch `work`, forked from main: app depends on lib, tool on nothing.
 * Each build appends its package's name to ran.log (ignored by git).
 */
function workspace(): TempGitRepo & { ran: () => string[] } {
  const pkg = (name: string, deps: Record<string, string> = {}) =>
    JSON.stringify({
      name,
      version: "1.0.0",
      dependencies: deps,
      scripts: { build: `echo ${name} >> ../../ran.log` },
    });
  const repo = repos.with({
    "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }),
    "package-lock.json": '{"lockfileVersion":3}\n',
    ".gitignore": "ran.log\n",
    "README.md": "a workspace\n",
    "packages/lib/package.json": pkg("lib"),
    "packages/lib/index.js": "export const lib = 1;\n",
    "packages/app/package.json": pkg("app", { lib: "1.0.0" }),
    "packages/app/index.js": "export const app = 1;\n",
    "packages/tool/package.json": pkg("tool"),
    "packages/tool/index.js": "export const tool = 1;\n",
  });
  repo.commitAll("main");
  repo.git("checkout", "-q", "-b", "work");
  const log = join(repo.root, "ran.log");
  writeFileSync(log, "");
  const ran = () => {
    const lines = readFileSync(log, "utf8").split("\n").filter(Boolean).sort();
    writeFileSync(log, "");
    return lines;
  };
  return { ...repo, ran };
}

function parex(dir: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [bin, "run", "--output", "none", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PAREX_BASE: undefined, GITHUB_BASE_REF: undefined, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const affected = (dir: string, ...more: string[]) =>
  parex(dir, ["build", "--workspaces", "--affected", ...more]);

describe("parex run --affected (end to end)", () => {
  it("runs the package changed since main and its dependents, not the others", () => {
    const repo = workspace();
    repo.write("packages/lib/index.js", "export const lib = 2;\n");
    repo.commitAll("change lib");
    const result = affected(repo.root);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.ran(), ["app", "lib"]);
    assert.match(
      result.stderr,
      /^parex: affected: comparing with main \(the default; --base REF or PAREX_BASE to choose\); 1 changed file$/m,
    );
    assert.match(result.stderr, /^parex: affected: lib#build; their dependents app#build$/m);
  });

  it("counts uncommitted and untracked files, and runs what an affected task depends on", () => {
    const repo = workspace();
    repo.write("packages/tool/index.js", "export const tool = 2;\n");
    assert.equal(affected(repo.root).code, 0);
    assert.deepEqual(repo.ran(), ["tool"]);
    repo.git("checkout", "-q", "--", ".");
    repo.write("packages/app/new.js", "untracked\n");
    const result = affected(repo.root);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.ran(), ["app", "lib"], "lib builds first: app needs it");
    assert.match(result.stderr, /^parex: affected: app#build; and, as they need them, lib#build$/m);
    const json = affected(repo.root, "--json");
    const summary = JSON.parse(json.stdout) as { affected?: unknown; tasks: { id: string }[] };
    assert.deepEqual(summary.affected, { base: "main", changedFiles: 1, tasks: ["app#build"] });
    assert.deepEqual(summary.tasks.map((task) => task.id).sort(), ["app#build", "lib#build"]);
  });

  it("runs every task when the lockfile changed", () => {
    const repo = workspace();
    repo.write("package-lock.json", '{"lockfileVersion":3,"packages":{}}\n');
    const result = affected(repo.root);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.ran(), ["app", "lib", "tool"]);
    assert.match(result.stderr, /\(package-lock\.json changed: every task\)/);
  });

  it("runs nothing, and exits 0, when no task's inputs changed", () => {
    const repo = workspace();
    repo.write("README.md", "edited\n");
    const result = affected(repo.root);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.ran(), []);
    assert.match(result.stderr, /^parex: affected: no task affected$/m);
    const json = parex(repo.root, ["build", "--workspaces", "--affected", "--json"]);
    assert.deepEqual(JSON.parse(json.stdout), {
      affected: { base: "main", changedFiles: 1, tasks: [] },
      tasks: [],
    });
  });

  it("runs the tasks whose root inputs changed and their dependents, and nothing for another root file", () => {
    const repo = workspace();
    const turbo = {
      tasks: {
        build: { dependsOn: ["^build"] },
        "lib#build": {
          dependsOn: [],
          inputs: ["$TURBO_DEFAULT$", "$TURBO_ROOT$/tsconfig.base.json"],
        },
      },
    };
    repo.write("turbo.json", JSON.stringify(turbo));
    repo.write("tsconfig.base.json", "{}\n");
    repo.commitAll("rules");
    repo.write("README.md", "edited\n");
    const other = affected(repo.root, "--base", "HEAD");
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /^parex: affected: no task affected$/m);
    repo.write("tsconfig.base.json", '{ "strict": true }\n');
    const result = affected(repo.root, "--base", "HEAD");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.ran(), ["app", "lib"]);
    assert.match(result.stderr, /^parex: affected: lib#build; their dependents app#build$/m);
  });

  it("compares with --base, then PAREX_BASE, and says which", () => {
    const repo = workspace();
    repo.write("packages/tool/index.js", "export const tool = 2;\n");
    repo.commitAll("tool");
    repo.git("tag", "tool-done");
    const nothing = affected(repo.root, "--base", "tool-done");
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stderr, /comparing with tool-done \(--base\); 0 changed files/);
    const fromEnv = parex(repo.root, ["build", "--workspaces", "--affected"], {
      PAREX_BASE: "main",
    });
    assert.match(fromEnv.stderr, /comparing with main \(PAREX_BASE\)/);
    assert.deepEqual(repo.ran(), ["tool"]);
  });

  it("refuses a base that is not a commit here, saying how to get it", () => {
    const repo = workspace();
    const result = affected(repo.root, "--base", "origin/develop");
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'parex run: --affected: the base "origin/develop" (--base) is not a commit in this repository. Fetch it (git fetch origin develop), or pass --base with a branch, tag or commit that exists here.\n',
    );
    assert.deepEqual(repo.ran(), []);
  });

  it("refuses to run outside a git repository, and --base without --affected", () => {
    const plain = repos.with(
      { "parex.config.json": JSON.stringify({ tasks: { a: { run: "true" } } }) },
      { init: false },
    );
    const result = parex(plain.root, ["--affected"]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `parex run: --affected compares with git, and ${plain.root} is not in a git repository. Run it in a git work tree, or drop --affected.\n`,
    );
    const lone = parex(plain.root, ["--base", "main"]);
    assert.equal(lone.code, 2);
    assert.equal(
      lone.stderr,
      "parex run: --base main is what --affected compares with: add --affected.\n",
    );
  });
});
