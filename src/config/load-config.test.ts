import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { configTimeoutMs, readConfig } from "./load-config.js";

/** Writes `files` to a new directory and reads the first as the config. */
async function read(files: Record<string, string>, timeoutMs?: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), "parex-load-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const [config = ""] = Object.keys(files);
  return readConfig(join(dir, config), timeoutMs === undefined ? {} : { timeoutMs });
}

async function refusal(files: Record<string, string>, timeoutMs?: number): Promise<ParexError> {
  try {
    await read(files, timeoutMs);
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return error;
  }
  assert.fail("expected the config to be refused");
}

describe("reading a config file", () => {
  it("gives line, column and the line itself for every JSON syntax error", async () => {
    const token = await refusal({ "parex.config.json": '{\n  "tasks": {\n    "a": x\n  }\n}\n' });
    assert.equal(token.code, "CONFIG_SYNTAX");
    assert.equal(
      token.message,
      `Cannot parse parex.config.json (line 3, column 10): Unexpected 'x': a value is a "string", a number, true, false, null, an object or an array. Fix the JSON there:\n` +
        '  3 |     "a": x\n' +
        "    |          ^",
    );
    const comma = await refusal({ "parex.config.json": '{"tasks": {"a": "x",}}' });
    assert.equal(
      comma.message,
      "Cannot parse parex.config.json (line 1, column 20): Trailing comma before '}': remove it. Fix the JSON there:\n" +
        '  1 | {"tasks": {"a": "x",}}\n' +
        "    |                    ^",
    );
    const end = await refusal({ "parex.config.json": '{\n\t"tasks": {\n\t\t"a": "true"\n\n' });
    assert.equal(
      end.message,
      "Cannot parse parex.config.json (line 3, column 14): Expected ',' or '}' after the property value, got the end of the file. Fix the JSON there:\n" +
        '  3 | \t\t"a": "true"\n' +
        "    | \t\t           ^",
    );
  });

  it("reads a JSON file that starts with a byte order mark, and an empty one as empty", async () => {
    assert.deepEqual(await read({ "parex.config.json": '\ufeff{"tasks": {}}' }), { tasks: {} });
    assert.equal(await read({ "parex.config.json": " \n" }), null);
  });

  it("shows a long line around the column only", async () => {
    const tasks = Array.from({ length: 40 }, (_, i) => `"task${i}": "true"`).join(", ");
    const text = `{"tasks": {${tasks},}}`;
    const end = await refusal({ "parex.config.json": text });
    const comma = text.lastIndexOf(",");
    assert.deepEqual(end.message.split("\n").slice(1), [
      `  1 | …${text.slice(comma - 60)}`,
      `    | ${" ".repeat(61)}^`,
    ]);
    const start = await refusal({ "parex.config.json": `{"a": x, ${tasks}}` });
    assert.deepEqual(start.message.split("\n").slice(1), [
      `  1 | ${`{"a": x, ${tasks}`.slice(0, 100)}…`,
      `    | ${" ".repeat(6)}^`,
    ]);
  });

  it("gives line, column and the line for YAML, and refuses an alias to no anchor", async () => {
    const indent = await refusal({ "parex.config.yaml": "tasks:\n  a: true\n b: y\n" });
    assert.equal(
      indent.message,
      "Cannot parse parex.config.yaml (line 3, column 1): All mapping items must start at the same column. Fix the YAML there:\n" +
        "  3 |  b: y\n" +
        "    | ^",
    );
    const alias = await refusal({ "parex.config.yaml": "tasks:\n  a: *nope\n" });
    assert.equal(
      alias.message,
      "Cannot parse parex.config.yaml: Unresolved alias (the anchor must be set before the alias): nope. Fix the YAML.",
    );
  });

  it("gives line, column and the line for a TypeScript syntax error, in the config or a module it imports", async () => {
    const own = await refusal({
      "parex.config.ts": 'export default {\n  tasks: {\n    a: "x" b: 1\n  },\n};\n',
    });
    assert.equal(
      own.message,
      'Cannot load parex.config.ts (line 3, column 12): Unexpected token, expected ",". Fix the syntax there:\n' +
        '  3 |     a: "x" b: 1\n' +
        "    |            ^",
    );
    const imported = await refusal({
      "parex.config.ts": 'import { tasks } from "./tasks.ts";\nexport default { tasks };\n',
      "tasks.ts": "export const tasks = {\n  a: 'true';\n};\n",
    });
    assert.equal(
      imported.message,
      'Cannot load parex.config.ts: tasks.ts (line 2, column 12): Unexpected token, expected ",". Fix the syntax there:\n' +
        "  2 |   a: 'true';\n" +
        "    |            ^",
    );
  });

  it("gives line, column and the line for a JavaScript syntax error, which Node does not place", async () => {
    const error = await refusal({
      "parex.config.mjs": 'export default {\n  tasks: {\n    a: "x",,\n  },\n};\n',
    });
    assert.equal(
      error.message,
      "Cannot load parex.config.mjs (line 3, column 12): Unexpected token ','. Fix the syntax there:\n" +
        '  3 |     a: "x",,\n' +
        "    |            ^",
    );
  });

  it("stops waiting for a config that never settles, naming the file and the fix", async () => {
    const error = await refusal(
      { "parex.config.mjs": "export default new Promise(() => {});\n" },
      50,
    );
    assert.equal(error.code, "CONFIG_TIMEOUT");
    assert.equal(
      error.message,
      "parex.config.mjs has not settled within 50 ms (a top-level await, or the promise its default export gives). Make it settle, or allow longer: PAREX_CONFIG_TIMEOUT_MS=100.",
    );
  });

  it("takes its time limit from PAREX_CONFIG_TIMEOUT_MS, refusing what is no number of ms", () => {
    assert.equal(configTimeoutMs({}), 30_000);
    assert.equal(configTimeoutMs({ PAREX_CONFIG_TIMEOUT_MS: " 1000 " }), 1_000);
    for (const value of ["0", "1.5", "10s", "2147483648"]) {
      assert.throws(() => configTimeoutMs({ PAREX_CONFIG_TIMEOUT_MS: value }), {
        code: "CONFIG_TIMEOUT",
        message: `PAREX_CONFIG_TIMEOUT_MS must be a whole number of ms from 1 to 2147483647, got "${value}". Fix it, or unset it for the default of 30000 ms.`,
      });
    }
  });
});
