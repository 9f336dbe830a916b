import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** A git project with a cached `build` that depends on nothing and `deploy`, not cached. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-cache-stats-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "a.txt"), "one\n");
  const tasks = {
    build: {
      run: "mkdir -p out && cp src/a.txt out/a.txt",
      inputs: ["src/**"],
      outputs: ["out/**"],
    },
    deploy: { run: "true", dependsOn: ["build"] },
  };
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  writeFileSync(join(dir, ".gitignore"), "out/\n");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "."], { cwd: dir });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"], {
    cwd: dir,
  });
  return dir;
}

describe("cache hits in parex stats and parex history (end to end)", () => {
  it("gives each task's hit rate and the time saved, and marks a restored task cached", () => {
    const dir = project();
    const runs = [1, 2, 3].map(
      () => JSON.parse(parex(dir, ["run", "--json", "--output", "none"])) as { runId: string },
    );
    const [period] = JSON.parse(parex(dir, ["stats", "--json"])) as {
      cache?: { runs: number; hits: number; misses: number; savedMs: number; tasks: unknown[] };
    }[];
    const cache = period?.cache;
    assert.deepEqual(
      { runs: cache?.runs, hits: cache?.hits, misses: cache?.misses, tasks: cache?.tasks },
      { runs: 3, hits: 2, misses: 1, tasks: [{ id: "build", runs: 3, hits: 2, hitRate: 2 / 3 }] },
    );
    assert.equal(typeof cache?.savedMs, "number");
    const text = parex(dir, ["stats"]);
    assert.match(
      text,
      /^cache, over 3 runs that used it: 2 of 3 lookups hit \(67 %\), saved .+ of task time$/m,
    );
    assert.match(text, /^build {2,}67 % {2,}2 {2,}3$/m);
    const last = parex(dir, ["history", runs[2]?.runId ?? ""]);
    assert.match(last, /^ {2}build +cached /m);
    assert.match(last, /^ {2}cache: 1 hit, 0 misses · saved .+ of task time$/m);
  });

  it("keeps learning what a cached task takes to run, not what its hits take", () => {
    const dir = project();
    // build takes ~300 ms when it runs; a hit restores it in a few.
    const config = JSON.parse(readFileSync(join(dir, "parex.config.json"), "utf8")) as {
      tasks: { build: { run: string } };
    };
    config.tasks.build.run = `node -e "setTimeout(() => {}, 300)" && ${config.tasks.build.run}`;
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
    const summaryOf = () =>
      JSON.parse(parex(dir, ["run", "--json", "--output", "none"])) as {
        tasks: { id: string; cache?: string; durationMs?: number }[];
      };
    const build = (summary: ReturnType<typeof summaryOf>) =>
      summary.tasks.find((task) => task.id === "build");
    const ran = build(summaryOf());
    assert.ok(ran);
    assert.equal(ran.cache, "miss");
    assert.equal(build(summaryOf())?.cache, "hit");
    assert.equal(build(summaryOf())?.cache, "hit");
    // Each task's [estimate in ms, spread].
    const learned = JSON.parse(
      readFileSync(join(dir, ".parex", "estimates", "parex.config.json.json"), "utf8"),
    ) as Record<string, [number, number]>;
    const [estimate = 0] = learned["build"] ?? [];
    // The summary rounds to 0.1 ms; the estimate is the run's own duration, unchanged by hits.
    assert.ok(
      Math.abs(estimate - (ran.durationMs ?? -1)) <= 0.05,
      `estimate ${estimate} ms, ran ${ran.durationMs} ms`,
    );
  });
});
