import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { logFileName } from "../exec/index.js";
import { parseCommand } from "./args.js";
import { dashboardFlags, dashboardOptions } from "./dashboard-part.js";
import { taskLogReader } from "./dashboard-history.js";

/** A project whose run `run_1` left these log files. */
function logs(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-logs-"));
  mkdirSync(join(dir, ".parex", "logs", "run_1"), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, ".parex", "logs", "run_1", name), text);
  }
  return dir;
}

describe("the dashboard's task logs", () => {
  it("reads an attempt's log, the last attempt that left one by default, and nobody else's", () => {
    const read = taskLogReader(
      logs({
        "build.1.log": "first\n",
        "build.10.log": "tenth\n",
        "build.x.12.log": "another task's\n",
        [logFileName("@app/web#build", 2)]: "web\n",
      }),
    );
    assert.deepEqual(read("run_1", "build", undefined), { attempt: 10, text: "tenth\n" });
    assert.deepEqual(read("run_1", "build", 1), { attempt: 1, text: "first\n" });
    assert.equal(read("run_1", "build", 2), undefined);
    assert.deepEqual(read("run_1", "@app/web#build", undefined), { attempt: 2, text: "web\n" });
    assert.equal(read("run_1", "lint", undefined), undefined);
    assert.equal(read("run_2", "build", undefined), undefined);
    assert.equal(read("../run_1", "build", 1), undefined, "a run id is never a path");
  });

  it("gives the last MiB of a longer log, and says what it left out", () => {
    const big = `${"a".repeat(10)}${"b".repeat(1 << 20)}`;
    const read = taskLogReader(logs({ "test.1.log": big }));
    assert.equal(
      read("run_1", "test", 1)?.text,
      `[the first 10 bytes are left out: the whole log is .parex/logs/run_1/test.1.log]\n${"b".repeat(1 << 20)}`,
    );
  });
});

describe("parex run's dashboard options", () => {
  it("ask for a dashboard with any of them, on a free port unless one is given", () => {
    assert.equal(dashboardOptions({}, {}), undefined);
    assert.deepEqual(dashboardOptions({ dashboard: "0" }, {}), { port: 0, keep: false });
    assert.deepEqual(dashboardOptions({ "dashboard-port": "8080" }, {}), {
      port: 8080,
      keep: false,
    });
    assert.deepEqual(dashboardOptions({ "dashboard-keep": true }, {}), { port: 0, keep: true });
  });

  it("take --dashboard PORT and --dashboard=PORT for its port, and a task's name for a task", () => {
    const parsed = (...argv: string[]) => {
      const { values, positionals } = parseCommand("run", argv, dashboardFlags);
      return [dashboardOptions(values, {})?.port, positionals];
    };
    assert.deepEqual(parsed("--dashboard", "8080", "build"), [8080, ["build"]]);
    assert.deepEqual(parsed("build", "--dashboard=0"), [0, ["build"]]);
    assert.deepEqual(parsed("--dashboard", "build"), [0, ["build"]], "a free port");
    assert.deepEqual(parsed("--dashboard"), [0, []]);
    assert.deepEqual(parsed("--dashboard", "123456"), [0, ["123456"]], "no port has 6 digits");
    assert.deepEqual(parsed("3000", "--dashboard"), [0, ["3000"]], "a task named by digits");
    assert.deepEqual(
      parsed("--", "--dashboard", "80"),
      [undefined, ["--dashboard", "80"]],
      "after --, nothing is an option",
    );
    assert.throws(() => parsed("--dashboard=x"), {
      name: "UsageError",
      message: 'parex run: --dashboard must be a TCP port (1–65535, or 0 for a free one), got "x".',
    });
  });

  it("refuse a port that is not one, and a watch session", () => {
    assert.throws(() => dashboardOptions({ "dashboard-port": "80x" }, {}), {
      name: "UsageError",
      message:
        'parex run: --dashboard-port must be a TCP port (1–65535, or 0 for a free one), got "80x".',
    });
    assert.throws(() => dashboardOptions({ "dashboard-port": "70000" }, {}), /got "70000"/);
    assert.throws(
      () => dashboardOptions({ dashboard: "0" }, { signal: new AbortController().signal }),
      {
        message: "parex run: --dashboard shows one run, and --watch makes many: drop one of them.",
      },
    );
  });
});
