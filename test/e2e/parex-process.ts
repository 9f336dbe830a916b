import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const node = JSON.stringify(process.execPath);

/**
 * A task's command that prints "waiting", waits until `file` exists (relative to its
 * directory: the test creates it), then prints "done".
 */
export const waitsFor = (file: string): string =>
  `${node} -e ${JSON.stringify(
    `console.log('waiting'); const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(file)})) { clearInterval(t); console.log('done'); } }, 20)`,
  )}`;

/** A parex process of a test: what it prints, and a way to wait until it says something. */
export interface ParexProcess {
  readonly child: ChildProcess;
  /** Its exit code (null when a signal ended it), once it has exited. */
  readonly exited: Promise<number | null>;
  /** The first match of `pattern` on stderr, once it appears (the process decides when). */
  said(pattern: RegExp): Promise<RegExpExecArray>;
  output(): { stdout: string; stderr: string };
}

const started = new Set<ChildProcess>();

/** SIGKILLs every parex process the tests started that is still running (for an `after` hook). */
export function killParexProcesses(): void {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
}

/** Starts `parex ARGS` in `dir`. */
export function parex(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParexProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
  started.add(child);
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  // After its output has all been read, unlike "exit".
  const closed = new Promise<string>((resolve) => child.once("close", () => resolve("closed")));
  const said = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(stderr);
      if (match !== null) return match;
      const ended = await Promise.race([
        new Promise((resolve) => child.stderr.once("data", resolve)),
        closed,
      ]);
      if (ended === "closed") {
        const last = pattern.exec(stderr);
        if (last !== null) return last;
        assert.fail(`exited without saying ${String(pattern)}:\n${stderr}`);
      }
    }
  };
  return { child, exited, said, output: () => ({ stdout, stderr }) };
}
