import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildDashboard } from "./dashboard-fixtures.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function project(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-failures-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config, null, 2));
  return dir;
}

function parex(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Summary {
  runId: string;
  complete: boolean;
  criticalPath: string[];
  scalability?: unknown[];
  tasks: { id: string; status: string; error?: string; lastLines?: string[] }[];
}

describe("failures people can read (end to end)", () => {
  const missing = "parex-no-such-command";
  const config = {
    tasks: {
      lint: { run: [missing, "."] },
      shlint: { run: `${missing} .` },
      build: { run: "echo compiling; echo 'src/a.ts(1,5): error TS2322: nope' >&2; exit 2" },
      test: { run: "echo testing", dependsOn: ["build"] },
    },
  };

  it("says why each task failed live, in a closing failed section, the JSON, the history and the report", () => {
    const dir = project(config);
    // The report inlines the dashboard: this test's own build, never one being rebuilt.
    const dashboard = { ...process.env, PAREX_DASHBOARD_DIR: buildDashboard() };
    const { code, stdout, stderr } = parex(
      dir,
      ["run", "--continue", "--output", "none", "--json", "--report", "report.html"],
      dashboard,
    );
    assert.equal(code, 1);
    const summary = JSON.parse(stdout) as Summary;
    const sh = /^sh: (1: )?parex-no-such-command: (command )?not found$/;
    const byId = new Map(summary.tasks.map((t) => [t.id, t]));
    assert.equal(byId.get("lint")?.error, `command not found: ${missing}`);
    assert.equal(byId.get("shlint")?.error, "exit code 127 (command not found)");
    assert.match(byId.get("shlint")?.lastLines?.[0] ?? "", sh);
    assert.equal(byId.get("build")?.error, "exit code 2");
    assert.deepEqual(byId.get("build")?.lastLines, [
      "compiling",
      "src/a.ts(1,5): error TS2322: nope",
    ]);
    assert.equal(byId.get("test")?.error, "dependency build failed");
    assert.equal(summary.complete, false);

    assert.match(
      stderr,
      new RegExp(`✖ lint failed after \\S+ m?s: command not found: ${missing}\\n`),
    );
    // With --output none, a failed task's output is shown once: in the section that ends the run.
    const section = stderr.slice(stderr.lastIndexOf("\nfailed:\n") + 1);
    assert.match(
      section,
      new RegExp(
        [
          "^failed:",
          `  ✖ lint    command not found: ${missing}`,
          "  ✖ shlint  exit code 127 \\(command not found\\)",
          "          │ sh: (1: )?parex-no-such-command: (command )?not found",
          "  ✖ build   exit code 2",
          "          │ compiling",
          "          │ src/a\\.ts\\(1,5\\): error TS2322: nope",
          "  ○ test    skipped: dependency build failed\\n$",
        ].join("\\n"),
      ),
    );
    assert.equal(stderr.split("compiling").length, 2, "the output appears in the section only");

    const history = parex(dir, ["history", summary.runId]);
    assert.equal(history.code, 0);
    assert.ok(history.stdout.endsWith(section), history.stdout);
    // The report shows the summary the JSON printed (test/e2e/report-browser.test.ts draws it).
    const report = readFileSync(join(dir, "report.html"), "utf8");
    const open = '<script type="application/json" id="parex-report">';
    const from = report.indexOf(open) + open.length;
    const data = JSON.parse(report.slice(from, report.indexOf("</script>", from))) as {
      run: { summary: Summary };
    };
    assert.deepEqual(data.run.summary, summary);
  });

  it("describes a run that stopped at its first failure from what ran, with no what-if", () => {
    const dir = project({
      tasks: {
        fail: { run: "sleep 0.2; exit 3" },
        long: { run: "sleep 5" },
        after: { run: "true", dependsOn: ["fail"] },
      },
    });
    const { code, stdout, stderr } = parex(dir, [
      "run",
      "-j",
      "2",
      "--json",
      "--compare-sequential",
    ]);
    assert.equal(code, 1);
    const summary = JSON.parse(stdout) as Summary;
    assert.equal(summary.complete, false);
    assert.deepEqual(summary.scalability, []);
    assert.ok(!summary.criticalPath.includes("after"), summary.criticalPath.join(" → "));
    assert.match(
      stderr,
      /\n {2}✖ 1 failed · ○ 1 skipped · ○ 1 cancelled\n {2}figures cover what ran \(1 not started, 1 stopped midway\)\n/,
    );
    assert.doesNotMatch(stderr, /speedup/);
    assert.match(
      stderr,
      /--compare-sequential: not run, as this run did not run every task to its end/,
    );
  });

  it("cuts a long line without a newline after 4 KB on screen, and keeps all of it in the log", () => {
    const dir = project({
      tasks: {
        long: {
          run: [
            "node",
            "-e",
            "for (let i = 0; i < 3000; i++) process.stdout.write('x'.repeat(1000))",
          ],
        },
      },
    });
    const { code, stdout } = parex(dir, ["run"]);
    assert.equal(code, 0);
    assert.ok(stdout.includes(`long │ ${"x".repeat(4096)}… (2.9 MB more, in the log file)\n`));
    assert.ok(stdout.length < 10_000, `${stdout.length} characters on screen`);
    const logs = join(dir, ".parex", "logs");
    const [run] = readdirSync(logs);
    assert.equal(statSync(join(logs, run ?? "", "long.1.log")).size, 3_000_000);
  });

  it("closes with a compact summary in 80 columns, and the whole analysis with --summary full", () => {
    const dir = project({ tasks: { a: { run: "true" }, b: { run: "true", dependsOn: ["a"] } } });
    const compact = parex(dir, ["run", "--output", "none", "--no-history"]);
    assert.equal(compact.code, 0);
    assert.match(
      compact.stdout,
      /\nparex · run_\w+ · succeeded · 2 tasks on \d+ slots · \S+ m?s\n {2}speedup .*\n {2}critical path +\S+ m?s {2}a → b\n {2}lower bound .*\n {2}\(the whole analysis: --summary full\)\n$/,
    );
    assert.ok(compact.stdout.split("\n").every((line) => line.length <= 80));
    const full = parex(dir, ["run", "--output", "none", "--no-history", "--summary", "full"]);
    assert.match(full.stdout, /\n {2}task +status +start +time +tries +slot/);
    assert.match(full.stdout, /\n {2}slot 0 /);
    assert.match(full.stdout, /\n {2}serial fraction /);
    const wrong = parex(dir, ["run", "--summary", "short"]);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stderr, 'parex run: --summary must be compact or full, got "short".\n');
  });

  it("refuses --report before running anything when the dashboard is not built", () => {
    const dir = project({ tasks: { touch: { run: "echo ran > ran.txt" } } });
    const nowhere = join(dir, "no-build");
    const result = parex(dir, ["run", "--report", "report.html"], {
      ...process.env,
      PAREX_DASHBOARD_DIR: nowhere,
    });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `parex run: --report writes the dashboard's run view, and ${join(nowhere, ".vite/manifest.json")} is missing. Build the dashboard with \`npm run build\` (or \`npm run build:dashboard\`) in the parex checkout, or drop --report.\n`,
    );
    assert.deepEqual(readdirSync(dir), ["parex.config.json"], "no task ran, no file written");
  });
});
