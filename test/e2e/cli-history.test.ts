import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const longTaskFirst = {
  tasks: {
    a: { run: "sleep 0.1" },
    b: { run: "sleep 0.1" },
    c: { run: "sleep 0.1" },
    d: { run: "sleep 0.1" },
    long: { run: "sleep 0.4" },
  },
};

interface Summary {
  tasks: { id: string; startMs?: number }[];
}

/** The ids of the first `n` tasks to start. */
const firstStarted = (summary: Summary, n = 1): string[] =>
  [...summary.tasks]
    .sort((x, y) => (x.startMs ?? 0) - (y.startMs ?? 0))
    .slice(0, n)
    .map((t) => t.id);

/** A tmpfs of `size` mounted at a new directory, or undefined where mounting is not allowed. */
function tmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "parex-fs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return undefined;
  }
}

describe("run history (end to end)", () => {
  it("learns durations: the second run starts the long task first", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify(longTaskFirst));
    const cold = JSON.parse(
      parex(dir, ["run", "-j", "2", "--json", "--output", "none"]).stdout,
    ) as Summary;
    const warm = JSON.parse(
      parex(dir, ["run", "-j", "2", "--json", "--output", "none"]).stdout,
    ) as Summary;
    // The order is the scheduler's decision and the test's subject; how much sooner the warm
    // run ends is a timing, measured by the benchmarks (`npm run bench -- scheduling`).
    assert.deepEqual(firstStarted(cold), ["a"], "knowing nothing, declaration order");
    // On 2 slots the long task starts at once; which short one beside it is the search's choice.
    assert.ok(firstStarted(warm, 2).includes("long"), firstStarted(warm, 5).join(", "));
    const plan = parex(dir, ["plan", "-j", "2"]).stdout;
    assert.match(plan, /predicted makespan from the durations learned in earlier runs/);
    assert.match(
      plan,
      /on 2 slots, the order a run searches: \S+ (m?s) \(critical-path rule \S+ (m?s), wave barriers \S+ (m?s)\)/,
    );
    const list = parex(dir, ["history"]);
    assert.equal(list.code, 0);
    assert.equal(list.stdout.trim().split("\n").length, 3, list.stdout);
    const shown = parex(dir, [
      "history",
      (JSON.parse(parex(dir, ["history", "--json"]).stdout) as { id: string }[])[0]?.id ?? "",
    ]);
    assert.match(shown.stdout, /long +succeeded/);
  });

  it("reports trends with flaky tasks: failed, then passed on a retry", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    const flaky = {
      run: "test -f marker && rm marker || { touch marker; exit 1; }",
      retry: { attempts: 2, initialDelayMs: 10 },
    };
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({ tasks: { flaky, steady: "true" } }),
    );
    for (let i = 0; i < 3; i++) assert.equal(parex(dir, ["run", "--output", "none"]).code, 0);
    const [week] = JSON.parse(parex(dir, ["stats", "--json"]).stdout) as {
      runs: number;
      failureRate: number;
      flaky: unknown;
    }[];
    assert.equal(week?.runs, 3);
    assert.equal(week.failureRate, 0);
    assert.deepEqual(week.flaky, [{ id: "flaky", runs: 3 }]);
    assert.match(parex(dir, ["stats", "--by", "day"]).stdout, /flaky \(3\)/);
  });

  it("gives no efficiency to a period whose runs all stopped early (a dash, null in JSON), not 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({ tasks: { check: "exit 1", deploy: { run: "true", dependsOn: ["check"] } } }),
    );
    const run = JSON.parse(parex(dir, ["run", "--json", "--output", "none"]).stdout) as {
      status: string;
      complete: boolean;
    };
    assert.deepEqual([run.status, run.complete], ["failed", false], "deploy was skipped");
    const [day] = JSON.parse(parex(dir, ["stats", "--json", "--by", "day"]).stdout) as {
      runs: number;
      efficiency: number | null;
    }[];
    assert.deepEqual([day?.runs, day?.efficiency], [1, null]);
    const [header = "", row = ""] = parex(dir, ["stats", "--by", "day"]).stdout.split("\n");
    // The column is right-aligned under its header.
    const at = header.indexOf("efficiency");
    assert.equal(row.slice(at, at + "efficiency".length).trim(), "-", `${header}\n${row}`);
  });

  it("creates nothing with a dry run or a read, and a run's .parex ignores itself in git", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks: { a: "echo hi" } }));
    for (const args of [["plan"], ["graph"], ["history"], ["stats"], ["plan", "--json"]]) {
      assert.equal(parex(dir, args).code, 0, args.join(" "));
    }
    assert.equal(parex(dir, ["history", "run_x"]).code, 2);
    assert.equal(parex(dir, ["run", "--resume"]).code, 2, "nothing to resume: a usage error");
    assert.deepEqual(readdirSync(dir).sort(), [".git", "parex.config.json"]);
    assert.equal(parex(dir, ["run"]).code, 0);
    assert.equal(parex(dir, ["history"]).stdout.split("\n").length, 3, "the run was recorded");
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(status, "?? parex.config.json\n");
  });

  it("keeps one log per task, where ids sanitise alike, and parex history RUN says which is whose", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    const tasks = { "a#b": "echo one", "a/b": "echo two", A: "echo three", a: "echo four" };
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
    const run = parex(dir, ["run", "--json", "--output", "none"]);
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    const logDir = join(dir, ".parex", "logs", runId);
    assert.match(
      run.stderr,
      new RegExp(`logs: ${logDir} \\(each task's files: parex history ${runId}\\)`),
    );
    const shown = JSON.parse(parex(dir, ["history", runId, "--json"]).stdout) as {
      logs: Record<string, string[]>;
    };
    assert.deepEqual(
      Object.entries(shown.logs).map(([id, files]) => [
        id,
        files.map((f) => readFileSync(f, "utf8")),
      ]),
      [
        ["a#b", ["one\n"]],
        ["a/b", ["two\n"]],
        ["A", ["three\n"]],
        ["a", ["four\n"]],
      ],
    );
    assert.match(parex(dir, ["history", runId]).stdout, /^ {4}a#b {2}a_b~8187fc8f\.1\.log$/m);
  });

  it("writes nothing under .parex with --no-history", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks: { a: "true" } }));
    assert.equal(parex(dir, ["run", "--no-history"]).code, 0);
    assert.throws(() => execFileSync("ls", [join(dir, ".parex")], { stdio: "ignore" }));
  });

  it("runs with a damaged history.db: one warning, the same outcome, no journal left behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-hist-"));
    writeFileSync(
      join(dir, "parex.config.json"),
      JSON.stringify({
        tasks: { ok: "echo fine" },
        // Its rule reads the history before the run too: a third place that could warn.
        alerts: { rules: [{ metric: "taskSlowdown", above: 2 }] },
      }),
    );
    mkdirSync(join(dir, ".parex"));
    writeFileSync(join(dir, ".parex", "history.db"), "not a database, 100 bytes of it".repeat(4));
    const { code, stdout, stderr } = parex(dir, ["run"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /ok +│ fine/);
    assert.equal(stderr.match(/run history disabled/g)?.length, 1, stderr);
    assert.deepEqual(readdirSync(join(dir, ".parex", "journal")), []);
  });

  it("runs on a read-only filesystem: one warning, the same outcome and exit code", (t) => {
    const fs = tmpfs("1m");
    if (fs === undefined) {
      t.skip("cannot mount a tmpfs here");
      return;
    }
    try {
      writeFileSync(
        join(fs, "parex.config.json"),
        JSON.stringify({ tasks: { ok: "echo fine", bad: "exit 3" } }),
      );
      execFileSync("mount", ["-o", "remount,ro", fs]);
      const { code, stderr, stdout } = parex(fs, ["run", "--continue"]);
      assert.equal(code, 1, "the failing task still decides the exit code");
      assert.match(stdout, /ok +│ fine/);
      // (Node reports mkdir -p on a read-only filesystem as ENOENT.)
      assert.match(stderr, /^parex: run history disabled: \w+/m);
      assert.equal(stderr.match(/history disabled/g)?.length, 1);
    } finally {
      execFileSync("umount", [fs]);
    }
  });

  it("runs on a full filesystem: history stops with one warning, the run goes on", (t) => {
    const fs = tmpfs("160k");
    if (fs === undefined) {
      t.skip("cannot mount a tmpfs here");
      return;
    }
    try {
      const tasks = Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`task-with-a-long-name-${i}`, { run: "true" }]),
      );
      mkdirSync(join(fs, "project"));
      writeFileSync(join(fs, "project", "parex.config.json"), JSON.stringify({ tasks }));
      const { code, stderr } = parex(join(fs, "project"), ["run", "--output", "none"]);
      assert.equal(code, 0, stderr);
      assert.ok((stderr.match(/disabled/g)?.length ?? 0) >= 1, stderr);
      assert.ok((stderr.match(/run history disabled/g)?.length ?? 0) <= 1);
    } finally {
      execFileSync("umount", [fs]);
    }
  });
});
