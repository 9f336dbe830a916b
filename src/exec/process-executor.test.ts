import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { alive, attemptContext } from "../testing/index.js";
import type { AttemptResult } from "../core/index.js";
import { processExecutor } from "./process-executor.js";
import { groupMembers } from "./proc.js";

const context = attemptContext;

const node = (code: string): string[] => [process.execPath, "-e", code];
/**
 * 64 MB held while it burns a second of CPU time. Counted in CPU time, not on the clock: on a
 * loaded machine it runs longer, and the 100 ms samples still see it at work.
 */
const busy =
  "const keep = Buffer.alloc(64 << 20, 1); let x = 0; while (process.cpuUsage().user < 1e6) x++; keep.length + x";

/** The result without its resource usage, which varies from run to run. */
function outcome(result: AttemptResult): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([key]) => key !== "usage"));
}

/** Waits until `file` holds `count` lines (pids written by the processes under test). */
async function pids(file: string, count: number): Promise<number[]> {
  for (const deadline = Date.now() + 60_000; ;) {
    assert.ok(Date.now() < deadline, `fewer than ${count} pids written to ${file}`);
    try {
      const lines = readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
      if (lines.length >= count) return lines.map(Number);
    } catch {
      // not written yet
    }
    await sleep(10);
  }
}

describe("processExecutor", () => {
  const executor = processExecutor({ killGraceMs: 300 });

  it("runs a shell command and streams its output", async () => {
    const { ctx, chunks } = context();
    const result = await executor.execute({ command: "echo hello; echo oops >&2" }, ctx);
    assert.deepEqual(outcome(result), { ok: true, exitCode: 0 });
    assert.deepEqual(chunks.sort(), ["stderr:oops\n", "stdout:hello\n"]);
  });

  it("runs an argv array without a shell, in its cwd and env", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-"));
    const { ctx, chunks } = context();
    const code =
      "process.stdout.write([process.argv[1], process.cwd(), process.env.GREETING].join('|'))";
    await executor.execute(
      { command: [...node(code), "two words"], cwd: dir, env: { GREETING: "hi" } },
      ctx,
    );
    assert.deepEqual(chunks, [`stdout:two words|${dir}|hi`]);
  });

  it("reports a non-zero exit with its code and the end of the output", async () => {
    const { ctx } = context();
    const result = await executor.execute({ command: "echo first; echo broken >&2; exit 3" }, ctx);
    assert.deepEqual(outcome(result), {
      ok: false,
      reason: "exit-code",
      exitCode: 3,
      error: { name: "ExitCodeError", message: "exited with code 3\nfirst\nbroken" },
    });
  });

  it("reports a process killed by a signal as a failure, never a success", async () => {
    const { ctx } = context();
    const result = await executor.execute({ command: "kill -9 $$" }, ctx);
    assert.ok(!result.ok);
    assert.equal(result.reason, "signal");
    assert.equal(result.signal, "SIGKILL");
  });

  it("says in words why a program cannot start: not found, not executable, no working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-"));
    writeFileSync(join(dir, "script.sh"), "echo hi\n", { mode: 0o644 });
    const cases: [Parameters<typeof executor.execute>[0], string][] = [
      [{ command: ["parex-no-such-tool", "."] }, "command not found: parex-no-such-tool"],
      [{ command: ["/nonexistent/tool", "x"] }, "no such file: /nonexistent/tool"],
      [
        { command: [join(dir, "script.sh")] },
        `permission denied: ${join(dir, "script.sh")} cannot be run`,
      ],
      [
        { command: "true", cwd: join(dir, "gone") },
        `working directory not found: ${join(dir, "gone")}`,
      ],
    ];
    for (const [command, message] of cases) {
      const result = await executor.execute(command, context().ctx);
      assert.deepEqual(
        [!result.ok && result.reason, !result.ok && result.error?.message],
        ["spawn-error", message],
      );
    }
  });

  it("kills a whole three-level tree on abort, including a grandchild that ignores SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-"));
    const file = join(dir, "pids");
    const grandchild = `process.on('SIGTERM', () => {}); require('fs').appendFileSync(${JSON.stringify(file)}, process.pid + '\\n'); setInterval(() => {}, 1000)`;
    const child = `require('fs').appendFileSync(${JSON.stringify(file)}, process.pid + '\\n'); require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`;
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const done = executor.execute(
      {
        command: `echo $$ >> ${file}; ${node(child)
          .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
          .join(" ")}`,
      },
      ctx,
    );
    const tree = await pids(file, 3);
    assert.ok(tree.every(alive));
    const started = Date.now();
    controller.abort();
    const result = await done;
    assert.equal(result.ok, false);
    assert.deepEqual(tree.filter(alive), [], "no process of the tree survives");
    assert.ok(
      Date.now() - started >= 250,
      "the SIGTERM-ignoring grandchild needed the SIGKILL after the grace period",
    );
    assert.deepEqual(groupMembers(tree[0] ?? 0), []);
  });

  it("stops what a command leaves running in its group when it exits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-"));
    const file = join(dir, "pids");
    const { ctx } = context();
    const result = await executor.execute({ command: `sleep 30 & echo $! > ${file}; exit 0` }, ctx);
    assert.deepEqual(outcome(result), { ok: true, exitCode: 0 });
    const [background] = await pids(file, 1);
    assert.equal(alive(background ?? 0), false);
  });

  it("writes each attempt's output byte for byte to its log file, keeping only a tail in memory", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "parex-logs-"));
    const logging = processExecutor({ logDir, tailBytes: 64 });
    const { ctx } = context();
    const code =
      "for (let i = 0; i < 2000; i++) process.stdout.write('line ' + i + ' é\\n'); process.exitCode = 1";
    const result = await logging.execute({ command: node(code) }, ctx);
    const log = readFileSync(join(logDir, "task.1.log"), "utf8");
    assert.equal(log, Array.from({ length: 2000 }, (_, i) => `line ${i} é\n`).join(""));
    assert.deepEqual(readdirSync(logDir), ["task.1.log"]);
    const message = !result.ok ? (result.error?.message ?? "") : "";
    assert.ok(message.length < 120, message);
    assert.match(message, /line 1999 é$/);
  });

  it("measures spawn time, CPU time and peak memory of the process group", async () => {
    const { ctx } = context();
    const asked = performance.now();
    const result = await executor.execute({ command: node(busy) }, ctx);
    const usage = result.usage ?? {};
    assert.ok(
      (usage.spawnMs ?? -1) >= 0 && (usage.spawnMs ?? Infinity) <= performance.now() - asked,
      `spawn ${usage.spawnMs}: part of the attempt's time`,
    );
    assert.ok((usage.cpuMs ?? 0) >= 200, `cpu ${usage.cpuMs}`);
    assert.ok((usage.peakRssBytes ?? 0) >= 64 << 20, `rss ${usage.peakRssBytes}`);
  });

  it("counts the processes a command starts, not only the shell", async () => {
    const { ctx } = context();
    const dir = mkdtempSync(join(tmpdir(), "parex-usage-"));
    const script = join(dir, "busy.js");
    writeFileSync(script, busy);
    // `; true` keeps the shell from exec'ing node: node runs as the shell's child.
    const result = await executor.execute(
      { command: `"${process.execPath}" "${script}"; true` },
      ctx,
    );
    assert.equal(result.ok, true);
    const usage = result.usage ?? {};
    assert.ok((usage.cpuMs ?? 0) >= 200, `cpu ${usage.cpuMs}`);
    assert.ok((usage.peakRssBytes ?? 0) >= 64 << 20, `rss ${usage.peakRssBytes}`);
  });
});
