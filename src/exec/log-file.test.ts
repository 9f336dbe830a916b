import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LogFile, logFileName } from "./log-file.js";

describe("log file names", () => {
  it("keeps a plain id as it is", () => {
    assert.equal(logFileName("build", 1), "build.1.log");
    assert.equal(logFileName("unit-tests_2.x", 3), "unit-tests_2.x.3.log");
  });

  it("gives ids that would share a name (or differ only in case) names of their own", () => {
    const ids = [
      "a#b",
      "a/b",
      "a_b",
      "a b",
      "a\\b",
      "A_b",
      "a_B",
      "A",
      "a",
      "é",
      "è",
      "@app/web#build",
    ];
    const names = ids.map((id) => logFileName(id, 1));
    // Unique even where the file system ignores case (macOS, Windows).
    assert.equal(
      new Set(names.map((name) => name.toLowerCase())).size,
      ids.length,
      names.join(" "),
    );
    assert.equal(logFileName("a#b", 1), "a_b~8187fc8f.1.log");
    assert.equal(logFileName("@app/web#build", 2), "_app_web_build~bd8731b6.2.log");
  });

  it("makes a file name of any id: no separator, no . or .., no hidden file, at most 255 bytes", () => {
    for (const id of [
      ".",
      "..",
      "../x",
      "-rf",
      ".hidden",
      "x".repeat(300),
      "é".repeat(300),
      "\n",
    ]) {
      const name = logFileName(id, 1000);
      assert.ok(!name.includes("/") && !name.startsWith(".") && !name.startsWith("-"), name);
      assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
    }
    assert.notEqual(logFileName("x".repeat(300), 1), logFileName(`${"x".repeat(300)}y`, 1));
  });

  it("keeps the output of two tasks whose ids sanitise alike in two files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-logs-"));
    for (const id of ["a#b", "a/b"]) {
      const log = new LogFile(dir, id, 1);
      await log.write(Buffer.from(`output of ${id}\n`));
      await log.close();
    }
    assert.deepEqual(
      ["a#b", "a/b"].map((id) => readFileSync(join(dir, logFileName(id, 1)), "utf8")),
      ["output of a#b\n", "output of a/b\n"],
    );
    assert.equal(readdirSync(dir).length, 2);
  });
});
