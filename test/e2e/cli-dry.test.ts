import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { bin, gitProject, ranLog, runJson } from "./cached-projects.js";

interface DryTask {
  id: string;
  command: string;
  cwd: string;
  dependsOn: string[];
  cached: boolean;
  cache: string;
  cacheKey?: string;
  from?: string;
  savedMs?: number;
  after?: string[];
}

interface Dry {
  dry: true;
  cacheMode: string;
  tasks: DryTask[];
  counts: Record<string, number>;
}

function parex(dir: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
}

/** `parex run --dry --json`: the plan, and each task's cache status by id. */
function dry(dir: string, args: string[] = []) {
  const result = parex(dir, ["run", "--dry", "--json", ...args]);
  assert.equal(result.status, 0, result.stderr);
  const plan = JSON.parse(result.stdout) as Dry;
  return { plan, cacheOf: Object.fromEntries(plan.tasks.map((t) => [t.id, t.cache])) };
}

/** A real `parex run --json`, which must succeed. */
function run(dir: string, args: string[] = []) {
  const result = runJson(dir, args);
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/**
 * A git project: `gen` copies src/a.txt to out/gen.txt, `use` (after gen) reads it and writes
 * out/use.txt, `other` stands alone, `deploy` (after use) is not cached. Every command notes
 * that it ran.
 */
function project(): { dir: string; ran: () => string[] } {
  const log = ranLog();
  const tasks = {
    gen: {
      run: `${log.note("gen")} && mkdir -p out && cp src/a.txt out/gen.txt`,
      inputs: ["src/**"],
      outputs: ["out/gen.txt"],
    },
    use: {
      run: `${log.note("use")} && cat out/gen.txt > out/use.txt`,
      dependsOn: ["gen"],
      inputs: ["src/**", "out/gen.txt"],
      outputs: ["out/use.txt"],
    },
    other: {
      run: `${log.note("other")} && mkdir -p out2 && cp other/b.txt out2/b.txt`,
      inputs: ["other/**"],
      outputs: ["out2/**"],
    },
    deploy: { run: log.note("deploy"), dependsOn: ["use"] },
  };
  const dir = gitProject({
    "parex.config.json": { tasks },
    "src/a.txt": "one\n",
    "other/b.txt": "b\n",
    ".gitignore": "out/\nout2/\n",
  });
  return { dir, ran: log.take };
}

/** Every file under `dir` with its mtime: what a dry run must leave as it was. */
function snapshot(dir: string): Record<string, number> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path, statSync(path).mtimeMs];
      }),
  );
}

describe("parex run --dry (end to end)", () => {
  it("in a fresh project runs nothing, writes nothing, and lists every task in dependency order", () => {
    const { dir, ran } = project();
    const { plan, cacheOf } = dry(dir);
    assert.deepEqual(ran(), [], "no command ran");
    assert.equal(existsSync(join(dir, ".parex")), false, "nothing under .parex/");
    assert.deepEqual(plan.tasks.map((t) => t.id).sort(), ["deploy", "gen", "other", "use"]);
    const position = (id: string) => plan.tasks.findIndex((t) => t.id === id);
    assert.ok(position("gen") < position("use") && position("use") < position("deploy"));
    assert.deepEqual(cacheOf, { gen: "miss", use: "unknown", other: "miss", deploy: "off" });
    const use = plan.tasks[position("use")];
    assert.deepEqual(use?.after, ["gen"], "unknown because gen would run first");
    assert.deepEqual(use.dependsOn, ["gen"]);
    assert.equal(use.cwd, ".");
    assert.equal(plan.tasks[position("deploy")]?.cacheKey, undefined, "not cached: no key");
    assert.deepEqual(plan.counts, { hit: 0, miss: 2, unknown: 1, off: 1 });
  });

  it("after a run, says every cached task would hit under the key the run stored it, and uses none", () => {
    const { dir, ran } = project();
    const first = run(dir);
    const history = parex(dir, ["history", "--json"]).stdout;
    const before = snapshot(join(dir, ".parex"));
    const { plan, cacheOf } = dry(dir);
    assert.deepEqual(cacheOf, { gen: "hit", use: "hit", other: "hit", deploy: "off" });
    for (const task of plan.tasks.filter((t) => t.cached)) {
      assert.equal(task.cacheKey, first.keyOf[task.id], `${task.id}: the key the run stored`);
      assert.equal(task.from, "local");
      assert.equal(typeof task.savedMs, "number");
    }
    assert.deepEqual(snapshot(join(dir, ".parex")), before, "no file written or touched");
    assert.equal(parex(dir, ["history", "--json"]).stdout, history, "no run recorded");
    assert.deepEqual(ran(), ["deploy", "gen", "other", "use"], "only the first run ran them");
  });

  it("after an input changes, a miss makes what depends on it unknown; the run agrees on the rest", () => {
    const { dir } = project();
    run(dir);
    writeFileSync(join(dir, "src", "a.txt"), "two\n");
    const { cacheOf, plan } = dry(dir);
    assert.deepEqual(cacheOf, { gen: "miss", use: "unknown", other: "hit", deploy: "off" });
    const real = run(dir);
    assert.deepEqual(real.cacheOf, { gen: "miss", use: "miss", other: "hit", deploy: "off" });
    const gen = plan.tasks.find((t) => t.id === "gen");
    assert.equal(gen?.cacheKey, real.keyOf["gen"], "a miss's key is the one the run takes");
  });

  it("takes no key with --cache off or --no-history, and looks nothing up with --cache write", () => {
    const { dir } = project();
    run(dir);
    for (const flags of [["--cache", "off"], ["--no-history"]]) {
      const { plan, cacheOf } = dry(dir, flags);
      assert.equal(plan.cacheMode, "off");
      assert.deepEqual(cacheOf, { gen: "off", use: "off", other: "off", deploy: "off" });
      assert.ok(
        plan.tasks.every((t) => t.cacheKey === undefined),
        flags.join(" "),
      );
    }
    const write = dry(dir, ["--no-cache"]);
    assert.deepEqual(write.cacheOf, { gen: "miss", use: "miss", other: "miss", deploy: "off" });
    assert.ok(write.plan.tasks.filter((t) => t.cached).every((t) => t.cacheKey !== undefined));
  });

  it("prints each task in words without --json", () => {
    const { dir } = project();
    run(dir);
    const result = parex(dir, ["run", "--dry", "other"]);
    assert.equal(result.status, 0, result.stderr);
    const key = run(dir, ["other"]).keyOf["other"] ?? "";
    assert.match(
      result.stdout,
      /^parex run --dry · 1 task, in the order they would start · nothing runs$/m,
    );
    assert.match(
      result.stdout,
      /^ {2}cache {4}would hit \(local, ran .+ when stored\): restored, not run$/m,
    );
    assert.match(result.stdout, new RegExp(`^ {2}key {6}${key}$`, "m"));
    assert.match(result.stdout, /^cache: 1 would hit, 0 would run, 0 unknown/m);
  });

  it("refuses a flag that needs a run, naming it", () => {
    const { dir } = project();
    const result = parex(dir, ["run", "--dry", "--report", "r.html"]);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr.trim(),
      "parex run: --dry runs nothing, so --report has nothing to work on. Drop --report, or --dry.",
    );
  });
});
