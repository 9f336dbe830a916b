// What the distributed runs' end-to-end tests share: projects of tasks the test releases, a
// queue of their own, workers as real processes, and waiting without sleeping blind.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TempDirs } from "../../src/testing/index.js";
import { parex } from "./parex-process.js";

const node = JSON.stringify(process.execPath);

/**
 * A task script: appends its pid to `NAME.runs`, prints "NAME waiting", then waits until the
 * file `go` exists, or (with a second argument) until the file `OTHER.runs` does, and prints
 * "NAME done".
 */
const gate = `
const fs = require("fs");
const [name, other] = process.argv.slice(2);
fs.appendFileSync(name + ".runs", process.pid + "\\n");
console.log(name + " waiting");
const wanted = other === undefined ? "go" : other + ".runs";
const t = setInterval(() => {
  if (fs.existsSync(wanted)) { clearInterval(t); console.log(name + " done"); }
}, 20);
`;

let queues = 0;

/** A project of `tasks` (their commands may use {@link gated}), and a queue name of its own. */
export function distributedProject(
  dirs: TempDirs,
  tasks: Record<string, unknown>,
): { dir: string; queue: string } {
  const dir = dirs.make();
  writeFileSync(join(dir, "gate.cjs"), gate);
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));
  return { dir, queue: `test-${process.pid}-${++queues}` };
}

/** The command of a task that waits for the file `go` (or for task `other` to have started). */
export const gated = (name: string, other?: string): string =>
  `${node} gate.cjs ${name}${other === undefined ? "" : ` ${other}`}`;

/** The pids of every run of gated task `name` so far, oldest first. */
export function runsOf(dir: string, name: string): number[] {
  const file = join(dir, `${name}.runs`);
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").map(Number) : [];
}

/** Polls `check` every 50 ms until it holds; fails after `ms` with `what`. */
export async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`still waiting after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `parex worker` on `url`'s queue `queue`, once it says it waits for tasks. */
export async function workerOn(
  url: string,
  dir: string,
  queue: string,
  ...args: string[]
): Promise<ReturnType<typeof parex>> {
  const worker = parex(dir, ["worker", "--redis", url, "--queue", queue, ...args]);
  await worker.said(/waiting for tasks on queue/);
  return worker;
}
