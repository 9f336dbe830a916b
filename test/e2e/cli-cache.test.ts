import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { filesUnder } from "../../src/testing/index.js";
import { bin, gitProject, ranLog, runJson } from "./cached-projects.js";

/** `parex run --json` with the live output on stderr (the last --output given wins). */
const run = (dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runJson(dir, ["--output", "stream", ...args], env);

/**
 * A git project: `gen` turns src/a.txt into out/gen.txt (and an executable out/gen.sh),
 * `use` copies it (depends on gen), `other` reads other/ only. Each notes that it ran.
 */
function project(): { dir: string; ran: () => string[] } {
  const log = ranLog();
  const tasks = {
    gen: {
      run: `${log.note("gen")} && mkdir -p out && cp src/a.txt out/gen.txt && printf '#!/bin/sh\\n' > out/gen.sh && chmod +x out/gen.sh && echo "gen built it"`,
      inputs: ["src/**"],
      outputs: ["out/gen.*"],
      env: ["STAGE"],
    },
    use: {
      run: `${log.note("use")} && cat out/gen.txt > out/use.txt`,
      dependsOn: ["gen"],
      inputs: ["src/**"],
      outputs: ["out/use.txt"],
    },
    other: {
      run: `${log.note("other")} && mkdir -p out2 && cp other/b.txt out2/b.txt`,
      inputs: ["other/**"],
      outputs: ["out2/**"],
    },
  };
  const dir = gitProject({
    "parex.config.json": { tasks },
    "src/a.txt": "one\n",
    "other/b.txt": "b\n",
    ".gitignore": "out/\nout2/\n",
  });
  return { dir, ran: log.take };
}

/** `parex run --json` in `dir` as a child process left running; resolves with its exit code. */
function start(dir: string): Promise<number | null> {
  const child = spawn(process.execPath, [bin, "run", "--json", "--output", "none"], {
    cwd: dir,
    env: { ...process.env, CI: "true" },
    stdio: "ignore",
  });
  return new Promise((resolve) => child.on("close", resolve));
}

describe("the task cache (end to end)", () => {
  it("two runners storing the same keys at once leave one whole entry per key", async () => {
    const { dir, ran } = project();
    assert.deepEqual(await Promise.all([start(dir), start(dir)]), [0, 0]);
    ran();
    const entries = filesUnder(join(dir, ".parex", "cache"));
    assert.equal(entries.filter((file) => file.endsWith(".tar.gz")).length, 3, entries.join());
    assert.equal(entries.filter((file) => file.endsWith(".json")).length, 3, "one meta each");
    assert.equal(entries.length, 6, `no temporary file is left: ${entries.join(", ")}`);
    rmSync(join(dir, "out"), { recursive: true });
    const warm = run(dir);
    assert.deepEqual(warm.cacheOf, { gen: "hit", use: "hit", other: "hit" });
    assert.deepEqual(ran(), [], "no command ran");
    assert.equal(readFileSync(join(dir, "out", "use.txt"), "utf8"), "one\n");
  });

  it("runs every task once, then restores them all without running any", () => {
    const { dir, ran } = project();
    const cold = run(dir);
    assert.equal(cold.code, 0, cold.stderr);
    assert.deepEqual(cold.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.deepEqual(ran(), ["gen", "other", "use"]);
    rmSync(join(dir, "out"), { recursive: true });
    const warm = run(dir);
    assert.equal(warm.code, 0, warm.stderr);
    assert.deepEqual(warm.cacheOf, { gen: "hit", use: "hit", other: "hit" });
    assert.deepEqual(ran(), [], "no command ran");
    assert.equal(readFileSync(join(dir, "out", "use.txt"), "utf8"), "one\n");
    assert.equal(statSync(join(dir, "out", "gen.sh")).mode & 0o111, 0o111, "still executable");
    assert.match(warm.stderr, /gen built it/, "the output is replayed");
    assert.match(warm.stderr, /^✔ use succeeded .* \(cached\)$/m, "the live line says so");
    const logs = join(dir, ".parex", "logs", warm.summary.runId);
    const genLog = readdirSync(logs).find((name) => name.startsWith("gen."));
    assert.ok(genLog !== undefined, "the hit has its log, as a run would");
    assert.equal(readFileSync(join(logs, genLog), "utf8"), "gen built it\n");
    assert.deepEqual(
      { hits: warm.summary.cache?.hits, misses: warm.summary.cache?.misses },
      { hits: 3, misses: 0 },
    );
    assert.match(warm.stderr, /cache: 3 hits, 0 misses · saved/);
  });

  it("runs again what an input change reaches, and restores the rest", () => {
    const { dir, ran } = project();
    run(dir);
    ran();
    writeFileSync(join(dir, "src", "a.txt"), "two\n");
    const changed = run(dir);
    assert.deepEqual(changed.cacheOf, { gen: "miss", use: "miss", other: "hit" });
    assert.deepEqual(ran(), ["gen", "use"]);
    assert.equal(readFileSync(join(dir, "out", "use.txt"), "utf8"), "two\n");
    writeFileSync(join(dir, "src", "a.txt"), "one\n");
    const back = run(dir);
    assert.deepEqual(back.cacheOf, { gen: "hit", use: "hit", other: "hit" }, "the old entry");
    assert.equal(readFileSync(join(dir, "out", "use.txt"), "utf8"), "one\n");
  });

  it("misses when a variable the task names changes, and not for one it does not name", () => {
    const { dir, ran } = project();
    run(dir, [], { STAGE: "a" });
    ran();
    assert.deepEqual(run(dir, [], { STAGE: "a", UNRELATED: "x" }).cacheOf, {
      gen: "hit",
      use: "hit",
      other: "hit",
    });
    const staged = run(dir, [], { STAGE: "b" });
    assert.deepEqual(staged.cacheOf, { gen: "miss", use: "miss", other: "hit" });
    assert.deepEqual(ran(), ["gen", "use"]);
  });

  it("never stores a failure: a task that failed runs again", () => {
    const { dir, ran } = project();
    const config = JSON.parse(readFileSync(join(dir, "parex.config.json"), "utf8")) as {
      tasks: Record<string, { run: string }>;
    };
    const other = config.tasks["other"];
    assert.ok(other);
    other.run = `${other.run} && test -e ok`;
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
    const failed = run(dir, ["--continue"]);
    assert.equal(failed.code, 1);
    assert.deepEqual(failed.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    ran();
    writeFileSync(join(dir, "ok"), "");
    const again = run(dir, ["--continue"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.cacheOf, { gen: "hit", use: "hit", other: "miss" });
    assert.deepEqual(ran(), ["other"]);
  });

  it("with --no-cache runs everything and stores it; with --cache off reports no cache", () => {
    const { dir, ran } = project();
    const first = run(dir, ["--no-cache"]);
    assert.deepEqual(first.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.deepEqual(ran(), ["gen", "other", "use"]);
    assert.deepEqual(run(dir).cacheOf, { gen: "hit", use: "hit", other: "hit" });
    const off = run(dir, ["--cache", "off"]);
    assert.deepEqual(off.cacheOf, { gen: undefined, use: undefined, other: undefined });
    assert.equal(off.summary.cache, undefined);
    assert.deepEqual(ran(), ["gen", "other", "use"]);
  });

  it("goes on without the cache when it cannot be written, with one warning", () => {
    const { dir, ran } = project();
    mkdirSync(join(dir, ".parex"), { recursive: true });
    writeFileSync(join(dir, ".parex", "cache"), "a file where the cache directory goes");
    const result = run(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(ran(), ["gen", "other", "use"]);
    assert.equal(result.stderr.match(/parex: cache:/g)?.length, 1, result.stderr);
    assert.deepEqual(run(dir).cacheOf, { gen: "miss", use: "miss", other: "miss" });
  });

  it("does not store a task that changed its own inputs, and says so", () => {
    const { dir } = project();
    const config = JSON.parse(readFileSync(join(dir, "parex.config.json"), "utf8")) as {
      tasks: Record<string, { run: string }>;
    };
    const other = config.tasks["other"];
    assert.ok(other);
    other.run = `${other.run} && date +%N >> other/stamp.txt`;
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
    const first = run(dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /"other" it changed its own inputs while it ran: not stored/);
    assert.equal(existsSync(join(dir, "other", "stamp.txt")), true);
  });

  it("parex cache says its size, and parex cache clean empties it: every task then misses", () => {
    const { dir } = project();
    run(dir);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [bin, "cache", ...args, "--json"], {
        cwd: dir,
        encoding: "utf8",
      });
    const size = JSON.parse(cli().stdout) as { bytes: number };
    assert.ok(size.bytes > 0, "three entries");
    const kept = JSON.parse(cli("clean", "--older-than", "7d").stdout) as { removed: number };
    assert.equal(kept.removed, 0, "all were used just now");
    const cleaned = JSON.parse(cli("clean").stdout) as { removed: number; keptBytes: number };
    assert.deepEqual([cleaned.removed, cleaned.keptBytes], [3, 0]);
    assert.deepEqual(run(dir).cacheOf, { gen: "miss", use: "miss", other: "miss" });
    const bad = cli("clean", "--max-size", "lots");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-size takes a size such as 500MB or 5GB, got "lots"/);
  });

  it("takes a task's key after its dependencies ran: a file one of them wrote counts", () => {
    const { dir } = project();
    const remote = join(mkdtempSync(join(tmpdir(), "parex-remote-")), "schema.txt");
    writeFileSync(remote, "v1\n");
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({
        tasks: {
          fetch: `cp ${remote} src/schema.txt`,
          use: {
            run: "mkdir -p out && cp src/schema.txt out/schema.txt",
            dependsOn: ["fetch"],
            inputs: ["src/**"],
            outputs: ["out/**"],
          },
        },
      }),
    );
    assert.equal(run(dir).cacheOf["use"], "miss");
    writeFileSync(remote, "v2\n");
    const changed = run(dir);
    assert.equal(changed.cacheOf["use"], "miss", changed.stderr);
    assert.equal(readFileSync(join(dir, "out", "schema.txt"), "utf8"), "v2\n");
  });
});
