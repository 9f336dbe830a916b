import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

const root = new URL("../../", import.meta.url);

function node(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

describe("npm run demo:library", () => {
  it("runs seed 000's setup, explains it and compares it with wave barriers", () => {
    const result = node(["--import", "tsx", "examples/seed-000.ts"], {
      PAREX_DEMO_MINUTE_MS: "20",
    });
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /· succeeded · 6 tasks on 3 slots/);
    for (const domain of ["buyer", "seller", "call-routes", "compliance", "financial"]) {
      assert.match(out, new RegExp(`■ ${domain} succeeded`));
    }
    assert.match(out, /critical path +\S+ \S+ +call → call-routes/);
    assert.match(out, /wave barriers \(the seed's way\) would take/);
    assert.match(out, /3 ← /);
  });
});

describe("parex command", () => {
  it("prints its commands with --help", () => {
    const result = node(["bin/parex.js", "--help"]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: parex <command> \[options\]/);
    assert.match(result.stdout, /^ {2}worker +run tasks of distributed runs from a Redis queue/m);
    assert.match(result.stdout, /^ {2}serve +HTTP API \+ dashboard: /m);
    assert.match(result.stdout, /^ {2}ui +the dashboard over this project's run history/m);
  });

  it("prints a command's help with `parex help COMMAND`, as `parex COMMAND --help` does", () => {
    const help = node(["bin/parex.js", "help", "run"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: parex run \[TASK\.\.\.\] \[options\]/);
    assert.equal(help.stdout, node(["bin/parex.js", "run", "--help"]).stdout);
  });

  it("asks a worker which Redis to use when none is given, with exit code 2", () => {
    const result = node(["bin/parex.js", "worker"], { PAREX_REDIS_URL: "" });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      'parex worker: which Redis? Pass --redis URL, set PAREX_REDIS_URL, or name it in the config: "distributed": { "redis": "redis://host:6379" }.\n',
    );
  });

  it("rejects an unknown command with a suggestion and exit code 2", () => {
    const result = node(["bin/parex.js", "rnu"]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'parex: unknown command "rnu". Did you mean `parex run`?\n');
  });
});
