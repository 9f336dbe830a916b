import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../../src/testing/index.js";
import type { TempGitRepo } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const repos = tempRepos();
after(() => repos.removeAll());

interface DryTask {
  id: string;
  cache: string;
  cacheKey?: string;
  rootInputs?: { globs: string[]; files: string[] };
}

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, "run", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** A real run: each task's cache status. */
function run(dir: string): Record<string, string | undefined> {
  const { tasks } = JSON.parse(parex(dir, ["--json", "--output", "none"])) as {
    tasks: { id: string; cache?: string }[];
  };
  return Object.fromEntries(tasks.map((task) => [task.id, task.cache]));
}

/**
 * A git project whose config reads root files: `build` (in app/) names the root's
 * tsconfig.base.json with `$root/`, every cached task counts `globalInputs` (.nvmrc), and
 * `docs` reads its own files only. `.env` is ignored by git.
 */
function project(): TempGitRepo {
  const config = {
    globalInputs: [".nvmrc", ".env"],
    tasks: {
      build: { run: "true", cwd: "app", inputs: ["src/**", "$root/tsconfig.base.json"] },
      docs: { run: "true", cwd: "docs", inputs: ["**"] },
    },
  };
  const repo = repos.with({
    "parex.config.json": JSON.stringify(config),
    ".gitignore": ".parex/\n.env\n",
    ".nvmrc": "20\n",
    "tsconfig.base.json": "{}\n",
    "README.md": "a project\n",
    "app/src/index.ts": "export {};\n",
    "docs/index.md": "# docs\n",
  });
  repo.commitAll();
  return repo;
}

describe("root files as inputs of a config's tasks (end to end)", () => {
  it("misses the tasks that read a changed root file, and hits after a change to another", () => {
    const repo = project();
    assert.deepEqual(run(repo.root), { build: "miss", docs: "miss" });
    repo.write("README.md", "a project, changed\n");
    repo.write(".env", "IGNORED=1\n");
    assert.deepEqual(run(repo.root), { build: "hit", docs: "hit" });
    repo.write("tsconfig.base.json", '{ "strict": true }\n');
    assert.deepEqual(run(repo.root), { build: "miss", docs: "hit" });
    repo.write(".nvmrc", "22\n");
    assert.deepEqual(run(repo.root), { build: "miss", docs: "miss" });
  });

  it("shows in --dry the root files each key counts, --json and in words", () => {
    const repo = project();
    const { tasks } = JSON.parse(parex(repo.root, ["--dry", "--json"])) as { tasks: DryTask[] };
    const byId = Object.fromEntries(tasks.map((task) => [task.id, task]));
    // .env is ignored by git, so it is not among the files.
    assert.deepEqual(byId["build"]?.rootInputs, {
      globs: [".nvmrc", ".env", "tsconfig.base.json"],
      files: [".nvmrc", "tsconfig.base.json"],
    });
    assert.deepEqual(byId["docs"]?.rootInputs, { globs: [".nvmrc", ".env"], files: [".nvmrc"] });
    const words = parex(join(repo.root, "app"), ["--dry", "build"]);
    assert.match(words, /^ {2}root {5}\.nvmrc, tsconfig\.base\.json$/m);
  });
});
