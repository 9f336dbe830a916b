import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
// A clean environment, so that neither run inherits the npm_* variables of an `npm test`.
const env = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? tmpdir() };

/** A workspace with one package `@t/a` whose scripts are `scripts`; root package.json fields added. */
function workspace(scripts: Record<string, string>, root: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-scripts-"));
  mkdirSync(join(dir, "packages", "a"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ private: true, workspaces: ["packages/*"], ...root }),
  );
  writeFileSync(
    join(dir, "packages", "a", "package.json"),
    JSON.stringify({
      name: "@t/a",
      version: "2.3.4",
      bin: "./cli.js",
      config: { port: 8080 },
      engines: { node: ">=20" },
      scripts,
    }),
  );
  return dir;
}

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (file: string): string[] => readFileSync(file, "utf8").trim().split("\n");

const hooks = {
  prebuild: "echo $npm_lifecycle_event | tee -a ../../order.log",
  build: "echo $npm_lifecycle_event $npm_package_name | tee -a ../../order.log",
  postbuild: "echo $npm_lifecycle_event | tee -a ../../order.log",
};

describe("workspace scripts run as their package manager runs them", () => {
  const npm = spawnSync("npm", ["--version"], { encoding: "utf8", env });
  it(
    "sets the variables `npm run build -w` sets, to the same values",
    { skip: npm.status === 0 ? false : "npm is not installed" },
    () => {
      const names = [
        "npm_lifecycle_event",
        "npm_lifecycle_script",
        "npm_package_name",
        "npm_package_version",
        "npm_package_json",
        "npm_package_bin_a",
        "npm_package_config_port",
        "npm_package_engines_node",
        "npm_node_execpath",
        "npm_execpath",
        "npm_config_user_agent",
        "INIT_CWD",
        "PATH",
      ];
      const dump = names.map((name) => `echo "${name}=$${name}"`).join("; ");
      const dir = workspace({ build: `{ ${dump}; } > "$OUT"` });
      const npmRun = spawnSync("npm", ["run", "build", "-w", "@t/a"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...env, OUT: join(dir, "npm.env") },
      });
      assert.equal(npmRun.status, 0, npmRun.stderr);
      const result = spawnSync(process.execPath, [bin, "run", "build", "--workspaces"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...env, OUT: join(dir, "parex.env") },
      });
      assert.equal(result.status, 0, result.stderr);
      // npm also puts its node-gyp wrapper on PATH; parex has no node-gyp of its own to offer.
      const npmVars = lines(join(dir, "npm.env")).map((line) =>
        line.replace(/:[^:]*node-gyp-bin(?=:)/, ""),
      );
      assert.deepEqual(lines(join(dir, "parex.env")), npmVars);
      assert.ok(npmVars.includes("npm_package_version=2.3.4"), npmVars.join("\n"));
    },
  );

  it("runs prebuild, the script and postbuild in order, as one task with one log", () => {
    const dir = workspace(hooks);
    const { code, stderr } = parex(dir, ["run", "build", "--workspaces", "--output", "none"]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(lines(join(dir, "order.log")), ["prebuild", "build @t/a", "postbuild"]);
    const logs = readdirSync(join(dir, ".parex", "logs"), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".log"));
    assert.equal(logs.length, 1, logs.join(", "));
    const log = readFileSync(join(dir, ".parex", "logs", logs[0] ?? ""), "utf8");
    assert.equal(log, "prebuild\nbuild @t/a\npostbuild\n");
  });

  it("fails the task when prebuild fails, and runs neither the script nor postbuild", () => {
    const dir = workspace({ ...hooks, prebuild: "echo prebuild >> ../../order.log; exit 3" });
    const { code, stdout } = parex(dir, ["run", "build", "--workspaces", "--json"]);
    assert.equal(code, 1);
    const { tasks } = JSON.parse(stdout) as { tasks: Record<string, unknown>[] };
    assert.deepEqual(
      tasks.map(({ id, status, reason, exitCode }) => ({ id, status, reason, exitCode })),
      [{ id: "@t/a#build", status: "failed", reason: "exit-code", exitCode: 3 }],
    );
    assert.deepEqual(lines(join(dir, "order.log")), ["prebuild"]);
  });

  it("runs no hooks where the package manager would not: npm's ignore-scripts, yarn 2+", () => {
    const npmIgnoring = workspace(hooks);
    writeFileSync(join(npmIgnoring, ".npmrc"), "ignore-scripts = true\n");
    const yarnBerry = workspace(hooks, { packageManager: "yarn@4.5.3" });
    for (const dir of [npmIgnoring, yarnBerry]) {
      const { code, stderr } = parex(dir, ["run", "build", "--workspaces", "--output", "none"]);
      assert.equal(code, 0, stderr);
      assert.deepEqual(lines(join(dir, "order.log")), ["build @t/a"]);
    }
  });
});
