import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

/** Runs `parex plan` on a one-file project; a hang ends at the bound, as a failure. */
function plan(config: string, text: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "parex-config-"));
  writeFileSync(join(dir, config), text);
  const result = spawnSync(process.execPath, [bin, "plan"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
    // Generous: the machine may be loaded. What is tested is that parex ends at all.
    timeout: 90_000,
  });
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

const limit = { PAREX_CONFIG_TIMEOUT_MS: "1000" };
const timedOut =
  "parex: parex.config.ts has not settled within 1000 ms (a top-level await, or the promise its default export gives). Make it settle, or allow longer: PAREX_CONFIG_TIMEOUT_MS=2000.\n";

describe("loading a config (end to end)", () => {
  it("says so and exits 2 when a config's promise never settles and nothing else runs", () => {
    // Without a time limit, Node ends such a process at once: exit 13, nothing printed.
    const result = plan(
      "parex.config.ts",
      "export default async () => new Promise(() => {});\n",
      limit,
    );
    assert.deepEqual(result, { code: 2, signal: null, stdout: "", stderr: timedOut });
  });

  it("says so and exits 2 when a config never settles and keeps a timer alive", () => {
    // Without a time limit, the timer keeps parex waiting for ever, silently.
    const result = plan(
      "parex.config.ts",
      "export default async () => {\n  setInterval(() => {}, 1000);\n  return new Promise(() => {});\n};\n",
      limit,
    );
    assert.deepEqual(result, { code: 2, signal: null, stdout: "", stderr: timedOut });
  });

  it("ends when done even if the config left a timer running, and says why it waited", () => {
    const result = plan(
      "parex.config.mjs",
      'setInterval(() => {}, 1000);\nexport default { tasks: { a: "true" } };\n',
    );
    assert.equal(result.code, 0);
    assert.match(result.stdout, /critical path/);
    assert.equal(
      result.stderr,
      "parex: finished, but something still holds the process open (a timer or socket the config file started?); exiting.\n",
    );
  });

  it("refuses a PAREX_CONFIG_TIMEOUT_MS that is no number of ms", () => {
    const result = plan("parex.config.ts", "export default { tasks: {} };\n", {
      PAREX_CONFIG_TIMEOUT_MS: "30s",
    });
    assert.deepEqual(result, {
      code: 2,
      signal: null,
      stdout: "",
      stderr:
        'parex: PAREX_CONFIG_TIMEOUT_MS must be a whole number of ms from 1 to 2147483647, got "30s". Fix it, or unset it for the default of 30000 ms.\n',
    });
  });
});
