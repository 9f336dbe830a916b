import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { alive } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

function project(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-cli-"));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(
      join(dir, name),
      typeof content === "string" ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

function parex(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The pids the tasks wrote to `<dir>/pids`, one a line, so far. */
function pidsIn(dir: string): number[] {
  if (!existsSync(join(dir, "pids"))) return [];
  return readFileSync(join(dir, "pids"), "utf8").split("\n").filter(Boolean).map(Number);
}

/**
 * Waits until `done()` holds, polling: what the test waits for is written by the processes
 * under test, however long a loaded machine takes to start them (a minute at most).
 */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

/** A task that logs its start and end (ms since the epoch) to `events`, sleeping in between. */
const timed = (id: string, seconds: number): string =>
  `echo "start ${id} $(date +%s%3N)" >> events; sleep ${seconds}; echo "end ${id} $(date +%s%3N)" >> events`;

describe("parex run (end to end, real processes)", () => {
  it("runs each task after its dependencies, never more at once than -j", () => {
    const dir = project({
      "parex.config.json": {
        tasks: {
          build: { run: timed("build", 0.3) },
          lint: { run: timed("lint", 0.1) },
          types: { run: timed("types", 0.1) },
          test: { run: timed("test", 0.1), dependsOn: ["build"] },
          deploy: { run: timed("deploy", 0.1), dependsOn: ["test", "lint", "types"] },
        },
      },
    });
    const { code } = parex(dir, ["run", "-j", "2", "--output", "none"]);
    assert.equal(code, 0);
    const events = readFileSync(join(dir, "events"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" "));
    const at = (kind: string, id: string) =>
      Number(events.find(([k, i]) => k === kind && i === id)?.[2]);
    assert.ok(at("start", "test") >= at("end", "build"));
    for (const dep of ["test", "lint", "types"]) assert.ok(at("start", "deploy") >= at("end", dep));
    let running = 0;
    let peak = 0;
    for (const [kind] of events) peak = Math.max(peak, (running += kind === "start" ? 1 : -1));
    assert.equal(peak, 2);
  });

  it("prints exactly one JSON summary on stdout with --json, exits 1 and skips dependents of a failure", () => {
    const dir = project({
      "parex.config.json": {
        tasks: {
          ok: { run: "echo fine" },
          broken: { run: "echo about to fail >&2; exit 4", group: "test" },
          after: { run: "echo never", dependsOn: ["broken"] },
        },
      },
    });
    const { code, stdout, stderr } = parex(dir, ["run", "--json", "--continue"]);
    assert.equal(code, 1);
    const summary = JSON.parse(stdout) as {
      status: string;
      strategy: string;
      tasks: { id: string; status: string; reason?: string; exitCode?: number }[];
    };
    assert.equal(summary.status, "failed");
    assert.equal(summary.strategy, "best_effort");
    assert.deepEqual(
      summary.tasks.map((t) => [t.id, t.status, t.reason, t.exitCode]),
      [
        ["ok", "succeeded", undefined, 0],
        ["broken", "failed", "exit-code", 4],
        ["after", "skipped", "dependency-failed", undefined],
      ],
    );
    assert.match(stderr, /broken │ about to fail/);
    assert.match(stderr, /✖ broken failed after \S+ m?s: exit code 4\n/);
    assert.doesNotMatch(stdout + stderr, /never/);
  });

  it("lets an optional task fail under the default strategy: the run goes on, is partial and exits 0", () => {
    const dir = project({
      "parex.config.json": {
        tasks: {
          probe: { run: "exit 3", optional: true },
          report: { run: "echo never", dependsOn: ["probe"], optional: true },
          build: { run: "echo built" },
        },
      },
    });
    const { code, stdout, stderr } = parex(dir, ["run", "--json", "--no-history", "-j", "1"]);
    assert.equal(code, 0);
    const summary = JSON.parse(stdout) as {
      status: string;
      tasks: { id: string; status: string; reason?: string; optional?: boolean }[];
    };
    assert.equal(summary.status, "partial");
    assert.deepEqual(
      summary.tasks.map((t) => [t.id, t.status, t.reason, t.optional]),
      [
        ["probe", "failed", "exit-code", true],
        ["report", "skipped", "dependency-failed", true],
        ["build", "succeeded", undefined, undefined],
      ],
    );
    assert.match(stderr, /probe.*optional/);
    assert.doesNotMatch(stdout + stderr, /never/);
  });

  it("reports config mistakes with the file, the path and the fix, exit code 2 and no stack", () => {
    const cases: [Record<string, unknown>, string[], string][] = [
      [
        {
          "parex.config.json": {
            tasks: { build: { run: "true" }, deploy: { run: "true", dependsOn: ["biuld"] } },
          },
        },
        ["run"],
        'parex: Task "deploy" depends on unknown task "biuld" (parex.config.json, tasks.deploy.dependsOn[0]). Did you mean "build"?\n',
      ],
      [
        {
          "parex.config.json": '{\n  "tasks": {\n    "a": { "run": "true" }\n    "b": {}\n  }\n}\n',
        },
        ["run"],
        "parex: Cannot parse parex.config.json (line 4, column 5): Expected ',' or '}' after the property value, got '\"'. Fix the JSON there:\n" +
          '  4 |     "b": {}\n' +
          "    |     ^\n",
      ],
      [
        { "parex.config.yaml": "tasks:\n  build:\n    run: [true\n  test: x\n" },
        ["run"],
        "parex: Cannot parse parex.config.yaml (line 4, column 3): Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the YAML there:\n" +
          "  4 |   test: x\n" +
          "    |   ^\n",
      ],
      [
        { "parex.config.json": { tasks: { build: { run: "true", dependOn: [] } } } },
        ["run"],
        'parex: Task "build" has an unknown field "dependOn" (parex.config.json, tasks.build.dependOn). Did you mean "dependsOn"?\n',
      ],
      [
        { "parex.config.json": { tasks: { build: { run: "true", timeoutMs: "5s" } } } },
        ["run"],
        'parex: Task "build" has an invalid timeoutMs (parex.config.json, tasks.build.timeoutMs): expected a number of ms > 0, got `"5s"` (string).\n',
      ],
      [
        { "parex.config.json": { tasks: { build: { run: "true" } } } },
        ["run", "biuld"],
        'parex: Unknown task "biuld". Did you mean "build"?\n',
      ],
      [
        { "parex.config.json": { tasks: {} } },
        ["run", "--jsn"],
        "parex run: unknown option --jsn. Did you mean --json?\n",
      ],
      [
        { "parex.config.json": { tasks: {} } },
        ["run", "-j", "lots"],
        'parex: Invalid concurrency "lots": expected an integer ≥ 1, or a share of the 2 CPUs like 50%.\n',
      ],
    ];
    for (const [files, args, message] of cases) {
      const { code, stderr, stdout } = parex(project(files), args);
      assert.equal(stderr.replace(/of the \d+ CPUs/, "of the 2 CPUs"), message);
      assert.equal(code, 2);
      assert.equal(stdout, "");
    }
  });

  it("says where it looked when there is no config", () => {
    const dir = project({});
    const { code, stderr } = parex(dir, ["run"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `parex: No parex config found in ${dir} or the directories above it. Create parex.config.json (or .ts, .yaml) with "tasks", or pass --config FILE, or --workspaces to run package scripts.\n`,
    );
  });

  it("loads a TypeScript config", () => {
    const dir = project({
      "parex.config.ts":
        'const tasks: Record<string, { run: string }> = { hello: { run: "echo from ts" } };\nexport default { tasks };\n',
    });
    const { code, stdout } = parex(dir, ["run"]);
    assert.equal(code, 0);
    assert.match(stdout, /hello │ from ts/);
  });

  it("shows output grouped per task, or not at all", () => {
    const dir = project({
      "parex.config.json": {
        tasks: { a: { run: "echo one; sleep 0.1; echo two" }, b: { run: "echo three" } },
      },
    });
    const grouped = parex(dir, ["run", "--output", "grouped"]).stdout;
    assert.match(grouped, /── a ──\none\ntwo\n/);
    const hidden = parex(dir, ["run", "--output", "none"]).stdout;
    assert.doesNotMatch(hidden, /│|^(one|two|three)$/m);
    assert.match(hidden, /✔ a succeeded/);
  });

  it("kills a timed-out task's whole process tree, a SIGTERM-ignoring grandchild included", () => {
    const grandchild =
      "process.on('SIGTERM', () => {}); require('fs').appendFileSync('pids', process.pid + '\\n'); setInterval(() => {}, 1000)";
    const child = `require('fs').appendFileSync('pids', process.pid + '\\n'); require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`;
    // The subject is a tree that is whole when the timeout fires. How long three processes take
    // to start depends on the machine (on a loaded one, more than 500 ms): each try doubles the
    // timeout until the tree was whole (its three pids written) when it fired.
    for (let timeoutMs = 500; ; timeoutMs *= 2) {
      const dir = project({
        "parex.config.json": {
          killGraceMs: 200,
          tasks: {
            hang: {
              timeoutMs,
              run: `echo $$ >> pids; ${JSON.stringify(process.execPath)} -e ${JSON.stringify(child)}`,
            },
          },
        },
      });
      const { code, stdout } = parex(dir, ["run"]);
      assert.equal(code, 1);
      assert.match(
        stdout,
        new RegExp(
          `✖ hang failed after \\S+ m?s: timed out after ${timeoutMs / 1000 >= 1 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}\n`,
        ),
      );
      const pids = pidsIn(dir);
      assert.deepEqual(pids.filter(alive), [], "whatever had started is stopped");
      if (pids.length === 3) return;
      assert.ok(timeoutMs < 64_000, `the tree did not start in ${timeoutMs} ms`);
    }
  });

  it("stops what tasks leave running outside their process group (setsid), and says so", () => {
    const dir = project({
      "parex.config.json": {
        tasks: {
          // Its stray keeps the task's output open: stopped as the task ends.
          loud: "setsid sleep 100 & echo $! > loud.pid",
          // Its stray gives no sign of itself: stopped as the run ends.
          quiet: "setsid sleep 101 > /dev/null 2>&1 < /dev/null & echo $! > quiet.pid",
        },
      },
    });
    const { code, stdout, stderr } = parex(dir, ["run", "--json", "--output", "none"]);
    assert.equal(code, 0, stderr);
    const pid = (task: string) => Number(readFileSync(join(dir, `${task}.pid`), "utf8"));
    for (const task of ["loud", "quiet"]) {
      assert.equal(alive(pid(task)), false, task);
      assert.ok(
        stderr.includes(
          `parex: killed 1 process left behind by task ${task}: pid ${pid(task)} (sleep)\n`,
        ),
        stderr,
      );
    }
    const { straysKilled } = JSON.parse(stdout) as { straysKilled: unknown[] };
    assert.deepEqual(
      new Set(straysKilled),
      new Set(
        ["loud", "quiet"].map((task) => ({
          taskId: task,
          attempt: 1,
          pid: pid(task),
          command: "sleep",
        })),
      ),
    );
  });

  it("stops every task on Ctrl-C, leaves no process behind and exits 130", async () => {
    const dir = project({
      "parex.config.json": {
        killGraceMs: 300,
        tasks: {
          a: { run: "echo $$ >> pids; sleep 30" },
          // Its pid is written once it ignores SIGTERM: from then on only SIGKILL stops it.
          b: { run: "trap '' TERM; echo $$ >> pids; sleep 30 & wait" },
          c: { run: "echo never", dependsOn: ["a"] },
        },
      },
    });
    const child = spawn(process.execPath, [bin, "run", "-j", "2"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await until(() => pidsIn(dir).length === 2, "both tasks to start");
    child.kill("SIGINT");
    assert.equal(await exited, 130);
    const pids = pidsIn(dir);
    assert.equal(pids.length, 2);
    assert.deepEqual(pids.filter(alive), []);
    assert.doesNotMatch(out, /never/);
  });

  it("kills at once on a second Ctrl-C, and exits 143 on SIGTERM", async () => {
    const stubborn = {
      killGraceMs: 60_000,
      tasks: { hold: { run: "trap '' TERM INT; echo $$ >> pids; sleep 30 & wait; sleep 30" } },
    };
    for (const [signals, code] of [
      [["SIGINT", "SIGINT"], 130],
      [["SIGTERM", "SIGINT"], 143],
    ] as const) {
      const dir = project({ "parex.config.json": stubborn });
      const child = spawn(process.execPath, [bin, "run"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      await until(() => pidsIn(dir).length === 1, "the task to start");
      const started = Date.now();
      const [first, second] = signals;
      child.kill(first);
      // The second signal counts as a second only once the runner has taken the first.
      await until(() => err.includes(`parex: ${first}: stopping`), `the runner to take ${first}`);
      child.kill(second);
      assert.equal(await exited, code);
      assert.match(err, /parex: killing every running task now/);
      assert.ok(Date.now() - started < 30_000, "did not wait for the 60 s grace period");
      assert.deepEqual(pidsIn(dir).filter(alive), []);
    }
  });
});
