import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import type { Command, TaskSpec } from "../core/index.js";
import { tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { listGitFilesEarly } from "./git-files.js";
import { TaskKeys } from "./task-keys.js";

const repos = tempRepos();
after(() => repos.removeAll());

/** A committed project with packages a and b, each with a source file and a lockfile. */
function project(): TempGitRepo {
  const repo = repos.with({
    "a/src/index.ts": "export const a = 1;\n",
    "b/src/index.ts": "export const b = 1;\n",
    "package-lock.json": '{"lockfileVersion":3}\n',
  });
  repo.commitAll();
  return repo;
}

type Tasks = Record<string, { run?: Partial<Command>; dependsOn?: string[] }>;

/** The keys of `tasks` (each a cached `echo ID` in its own package by default) in `root`. */
async function keysOf(
  root: string,
  tasks: Tasks = {},
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  const all: Tasks = { a: {}, b: { dependsOn: ["a"] }, ...tasks };
  const specs: TaskSpec<Command>[] = Object.entries(all).map(([id, task]) => ({
    id,
    run: {
      command: `echo ${id}`,
      cwd: join(root, id === "b" ? "b" : "a"),
      cache: { outputs: ["dist/**"], hashedEnv: ["STAGE"] },
      ...task.run,
    },
    ...(task.dependsOn === undefined ? {} : { dependsOn: task.dependsOn }),
  }));
  const keys = new TaskKeys(buildGraph(specs), { projectDir: root, env });
  const entries = await Promise.all(
    specs.map(async ({ id }) => [id, (await keys.of(id)).key] as const),
  );
  return Object.fromEntries(entries);
}

describe("TaskKeys", () => {
  it("gives the same keys for the same project in another directory, as on another machine", async () => {
    assert.deepEqual(await keysOf(project().root), await keysOf(project().root));
  });

  it("never takes a listing started before a task ran: a task may have written inputs", async () => {
    const repo = project();
    const keys = (): TaskKeys =>
      new TaskKeys(
        buildGraph([
          {
            id: "a",
            run: {
              command: "echo a",
              cwd: join(repo.root, "a"),
              cache: { outputs: [], hashedEnv: [] },
            },
          },
        ]),
        { projectDir: repo.root, env: {} },
      );
    const before = await keys().of("a");
    await listGitFilesEarly(repo.root);
    repo.write("a/src/generated.ts", "export const g = 1;\n"); // a code generator that ran first
    const ran = keys();
    ran.filesChanged();
    assert.notEqual((await ran.of("a")).key, before.key);
  });

  it("changes a task's key and its dependents' with an input, and no other", async () => {
    const repo = project();
    const before = await keysOf(repo.root);
    repo.write("a/src/index.ts", "export const a = 2;\n");
    const after = await keysOf(repo.root);
    assert.notEqual(after["a"], before["a"]);
    assert.notEqual(after["b"], before["b"], "b depends on a");
    repo.write("a/src/index.ts", "export const a = 1;\n");
    repo.write("b/src/index.ts", "export const b = 2;\n");
    const onlyB = await keysOf(repo.root);
    assert.equal(onlyB["a"], before["a"]);
    assert.notEqual(onlyB["b"], before["b"]);
  });

  it("does not count the outputs, nor files git ignores", async () => {
    const repo = project();
    const before = await keysOf(repo.root);
    repo.write("a/dist/index.js", "built\n");
    repo.write(".gitignore", "*.log\n");
    repo.commitAll();
    const withIgnore = await keysOf(repo.root);
    repo.write("a/debug.log", "noise\n");
    assert.deepEqual(await keysOf(repo.root), withIgnore);
    assert.equal(withIgnore["a"], before["a"], "a .gitignore at the root is not in a/");
  });

  it("changes with the command, the variables set, a named variable's value and the lockfile", async () => {
    const repo = project();
    const base = (await keysOf(repo.root))["a"];
    const changed = [
      (await keysOf(repo.root, { a: { run: { command: "echo A" } } }))["a"],
      (await keysOf(repo.root, { a: { run: { env: { TZ: "UTC" } } } }))["a"],
      (await keysOf(repo.root, {}, { STAGE: "prod" }))["a"],
    ];
    repo.write("package-lock.json", '{"lockfileVersion":3,"packages":{}}\n');
    changed.push((await keysOf(repo.root))["a"]);
    assert.equal(new Set([base, ...changed]).size, 5, "five different keys");
    assert.equal((await keysOf(repo.root, {}, { OTHER: "x" }))["a"], changed[3], "unnamed");
  });

  it("hashes the files of a package that is a repository of its own, nested or a submodule", async () => {
    const repo = repos.with({ "b/src/index.ts": "b\n", "a/src/index.ts": "export const a = 1;\n" });
    const commit = ["-c", "user.email=t@t", "-c", "user.name=t", "-c", "commit.gpgsign=false"];
    repo.git("-C", "a", "init", "-q");
    repo.git("-C", "a", "add", "-A");
    repo.git("-C", "a", ...commit, "commit", "-q", "--no-verify", "-m", "inner");
    repo.commitAll(); // the outer repository records a/ as a gitlink, not its files
    const before = (await keysOf(repo.root))["a"];
    repo.write("a/src/index.ts", "export const a = 2;\n");
    assert.notEqual((await keysOf(repo.root))["a"], before);
  });

  it("counts the root files a task names in its key, and only in its key", async () => {
    const repo = project();
    repo.write("tsconfig.base.json", "{}\n");
    repo.write("README.md", "hello\n");
    repo.commitAll();
    const reads = { a: { run: { cache: { outputs: [], hashedEnv: [], rootInputs: ["*.json"] } } } };
    const before = await keysOf(repo.root, reads);
    repo.write("README.md", "changed\n");
    assert.deepEqual(await keysOf(repo.root, reads), before, "README.md is no root input");
    repo.write("tsconfig.base.json", '{"strict":true}\n');
    const after = await keysOf(repo.root, reads);
    assert.notEqual(after["a"], before["a"]);
    assert.notEqual(after["b"], before["b"], "b depends on a");
    const keys = new TaskKeys(
      buildGraph([{ id: "a", run: { command: "x", cwd: join(repo.root, "a"), ...reads.a.run } }]),
      { projectDir: repo.root, env: {} },
    );
    const { recipe, rootFiles } = await keys.of("a");
    assert.deepEqual(recipe.rootInputs?.globs, ["*.json"]);
    assert.deepEqual(rootFiles, ["package-lock.json", "tsconfig.base.json"]);
  });

  it("leaves root inputs out of the recipe of a task that names none, or exclusions only", async () => {
    const repo = project();
    for (const rootInputs of [undefined, ["!tsconfig.local.json"]]) {
      const cache = {
        outputs: [],
        hashedEnv: [],
        ...(rootInputs === undefined ? {} : { rootInputs }),
      };
      const keys = new TaskKeys(buildGraph([{ id: "a", run: { command: "x", cache } }]), {
        projectDir: repo.root,
        env: {},
      });
      const { recipe, rootFiles } = await keys.of("a");
      assert.equal("rootInputs" in recipe, false);
      assert.equal(rootFiles, undefined);
    }
  });

  it("does not count a root file git ignores, nor one under .parex/", async () => {
    const repo = project();
    repo.write(".gitignore", ".env\n");
    repo.commitAll();
    const reads = {
      a: { run: { cache: { outputs: [], hashedEnv: [], rootInputs: ["**/.env", ".parex/**"] } } },
    };
    const before = await keysOf(repo.root, reads);
    repo.write(".env", "SECRET=1\n");
    repo.write(".parex/history.db", "rows\n");
    assert.deepEqual(await keysOf(repo.root, reads), before);
  });

  it("says a task changed its inputs when it wrote into one of its root files", async () => {
    const repo = project();
    repo.write("shared.json", "{}\n");
    repo.commitAll();
    const run = { command: "x", cwd: join(repo.root, "a") };
    const keys = new TaskKeys(
      buildGraph([
        {
          id: "a",
          run: { ...run, cache: { outputs: [], hashedEnv: [], rootInputs: ["shared.json"] } },
        },
      ]),
      { projectDir: repo.root, env: {} },
    );
    await keys.of("a");
    assert.equal(await keys.inputsChanged("a"), false);
    repo.write("shared.json", '{"a":1}\n');
    assert.equal(await keys.inputsChanged("a"), true);
  });
});
