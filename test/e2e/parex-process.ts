// `parex` as a real child process that the test reads as it goes (its stderr says when it is
// ready), and tasks that wait for the test: what the dashboard's end-to-end tests share.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/** bin/parex.js of this checkout: the source, through tsx. */
export const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const node = JSON.stringify(process.execPath);

/**
 * A task's command that prints `first`, then waits until the test creates `file` in the
 * project, then prints `then` and exits with `code`: the test decides when it ends, with no
 * sleep on either side.
 */
export function waitsFor(
  file: string,
  lines: { readonly first?: string; readonly then?: string; readonly code?: number } = {},
): string {
  const { first = "waiting", then = "done", code = 0 } = lines;
  const script = `console.log(${JSON.stringify(first)}); const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(file)})) { clearInterval(t); console.log(${JSON.stringify(then)}); process.exitCode = ${String(code)}; } }, 20)`;
  return `${node} -e ${JSON.stringify(script)}`;
}

/** The line `parex run --dashboard` and `parex ui` print: the base URL and the port. */
export const linkPattern =
  /^parex: dashboard: (http:\/\/127\.0\.0\.1:(\d+))\/login\?ticket=[\w-]{43}$/m;

const started = new Set<ChildProcess>();

/** Kills (SIGKILL) every `parex` this module started that is still running: for `after`. */
export function killStarted(): void {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
}

/** `parex ARGS` in `dir`, with ways to wait until it says something. */
export function parex(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
  started.add(child);
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  // After its output has all been read, unlike "exit".
  const closed = new Promise<string>((resolve) => child.once("close", () => resolve("closed")));
  /** The first match of `pattern` in what `stream` said, once it appears (the process decides when). */
  const saidOn = async (stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpExecArray> => {
    const text = (): string => (stream === "stdout" ? stdout : stderr);
    for (;;) {
      const match = pattern.exec(text());
      if (match !== null) return match;
      const ended = await Promise.race([
        new Promise((resolve) => child[stream].once("data", resolve)),
        closed,
      ]);
      if (ended === "closed") {
        const last = pattern.exec(text());
        if (last !== null) return last;
        assert.fail(`exited without saying ${String(pattern)} on ${stream}:\n${stderr}`);
      }
    }
  };
  return {
    child,
    exited,
    said: (pattern: RegExp) => saidOn("stderr", pattern),
    saidOn,
    output: () => ({ stdout, stderr }),
  };
}
