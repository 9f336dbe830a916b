import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function run(config: unknown) {
  const dir = mkdtempSync(join(tmpdir(), "parex-gates-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  const result = spawnSync(
    process.execPath,
    [bin, "run", "--json", "--output", "none", "--no-history"],
    { cwd: dir, encoding: "utf8" },
  );
  const summary = JSON.parse(result.stdout) as {
    status: string;
    gates: { name: string; status: string; value?: number }[];
  };
  return { code: result.status, summary, stderr: result.stderr };
}

describe("quality gates on real outputs (end to end)", () => {
  it("passes, warns and fails by level, and a failed gate makes the exit code 1", () => {
    const { code, summary, stderr } = run({
      tasks: {
        lint: {
          run: "echo '2 problems found'",
          gates: [{ name: "lint problems", pattern: "(\\d+) problems", max: 0 }],
        },
        test: {
          run: `echo '{"total":{"lines":{"pct":82.5}}}' > coverage.json`,
          gates: [
            {
              name: "coverage",
              file: "coverage.json",
              pointer: "/total/lines/pct",
              min: 85,
              level: "warn",
            },
          ],
        },
        audit: {
          run: "echo '0 vulnerabilities'",
          gates: [{ name: "vulnerabilities", pattern: "(\\d+) vulnerabilities", max: 0 }],
        },
      },
    });
    assert.equal(summary.status, "succeeded", "every task succeeded");
    assert.equal(code, 1, "but a gate failed");
    assert.deepEqual(
      summary.gates.map((g) => [g.name, g.status, g.value]),
      [
        ["lint problems", "fail", 2],
        ["coverage", "warn", 82.5],
        ["vulnerabilities", "pass", 0],
      ],
    );
    assert.match(stderr, /FAIL {2}lint problems: 2 > max 0/);
    assert.match(stderr, /WARN {2}coverage: 82.5 < min 85/);
  });

  it("warns without failing the run, and checks the duration budget", () => {
    const ok = run({
      budgetMs: 60_000,
      tasks: {
        t: {
          run: "echo 70",
          gates: [{ name: "score", pattern: "(\\d+)", min: 80, level: "warn" }],
        },
      },
    });
    assert.equal(ok.code, 0);
    assert.deepEqual(
      ok.summary.gates.map((g) => [g.name, g.status]),
      [
        ["score", "warn"],
        ["duration budget", "pass"],
      ],
    );
    const slow = run({ budgetMs: 50, tasks: { t: "sleep 0.2" } });
    assert.equal(slow.code, 1);
    assert.deepEqual(
      slow.summary.gates.map((g) => [g.name, g.status]),
      [["duration budget", "fail"]],
    );
  });
});
