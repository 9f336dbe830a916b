import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";

const root = new URL("../../", import.meta.url).pathname;

function parex(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [`${root}bin/parex.js`, ...args], {
    cwd,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Pids of running processes whose command is one of `names`. */
function processes(names: readonly string[]): Set<number> {
  const found = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (names.includes(name) && state !== "Z") found.add(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

describe("examples (each run for real)", () => {
  it("dce-domains (npm run demo): the seed-000 setup, with a measured sequential comparison", () => {
    const { code, stdout } = parex([
      "run",
      "-c",
      "examples/dce-domains/parex.config.yaml",
      "--compare-sequential",
      "--output",
      "none",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /· succeeded · 6 tasks on 3 slots/);
    assert.match(stdout, /critical path +\S+ s +call → call-routes/);
    const speedup = Number(/so the parallel run was ([\d.]+)× faster/.exec(stdout)?.[1]);
    assert.ok(speedup > 2, `measured speedup ${speedup}`);
  });

  it("ci-checks: build, test, lint, typecheck, security, format and vet as one pipeline", () => {
    const { code, stdout } = parex(
      ["run", "--json", "--output", "none"],
      `${root}examples/ci-checks`,
    );
    assert.equal(code, 0);
    const summary = JSON.parse(stdout) as {
      tasks: { id: string; status: string; group?: string }[];
    };
    assert.deepEqual(
      summary.tasks.map((t) => [t.id, t.status]),
      ["build", "typecheck", "lint", "format", "vet", "security", "test"].map((id) => [
        id,
        "succeeded",
      ]),
    );
  });

  it("e2e-infra: real PostgreSQL and Redis brought up in parallel, migrated, checked and torn down", (t) => {
    const missing = ["/usr/bin/redis-server", "/usr/bin/psql", "/usr/lib/postgresql"].filter(
      (p) => !existsSync(p),
    );
    if (missing.length > 0) {
      t.skip(`not installed here: ${missing.join(", ")}`);
      return;
    }
    const before = processes(["postgres", "redis-server"]);
    const { code, stdout, stderr } = parex(["run", "-c", "examples/e2e-infra/parex.config.ts"]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /health-postgres +│ +orders: 2/);
    assert.match(stdout, /health-redis +│ PONG/);
    assert.match(stdout, /● postgres ready[\s\S]*▶ migrate/);
    const left = [...processes(["postgres", "redis-server"])].filter((pid) => !before.has(pid));
    assert.deepEqual(left, [], "both servers were stopped");
  });
});
