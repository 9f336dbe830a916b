import { setTimeout as sleep } from "node:timers/promises";
import { bootTimeMs, emptyStat, groupMembers, hasProc, readStat, ticksPerSecond } from "./proc.js";

/** Whether any live process is left in process group `group`. Zombies do not count. */
export function groupAlive(group: number): boolean {
  const error = kill(-group, 0);
  if (error !== undefined) return error === "EPERM";
  // Something is in the group; on Linux, look whether it is more than zombies.
  return hasProc ? groupMembers(group).length > 0 : true;
}

/**
 * Whether process `pid` is running and was already running at `sinceMs` (ms since the epoch):
 * a process that reused the pid of one that ended started after it. Where /proc cannot tell
 * when it started, any process with the pid counts. One of another user's counts (EPERM).
 */
export function runningSince(pid: number, sinceMs: number): boolean {
  const error = kill(pid, 0);
  if (error !== undefined && error !== "EPERM") return false;
  const boot = hasProc ? bootTimeMs() : undefined;
  if (boot === undefined) return true;
  const stat = emptyStat();
  if (!readStat(String(pid), stat)) return false; // it ended meanwhile
  const startedMs = boot + (stat.startTicks * 1_000) / ticksPerSecond;
  // The boot time comes in whole seconds: a second of slack.
  return startedMs <= sinceMs + 1_000;
}

/** Sends `signal` to every process of the group; a group that has ended is ignored. */
export function signalGroup(group: number, signal: NodeJS.Signals): void {
  kill(-group, signal); // ESRCH: the group ended in the meantime.
}

/** Sends `signal` to one process; one that has ended is ignored. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  kill(pid, signal);
}

/**
 * `process.kill`, with its error code returned instead of thrown. The error is built without a
 * stack: nearly every task ends with one (ESRCH: its group is empty), and capturing a stack for
 * it cost ~0.08 ms per task (1,000 trivial tasks: 2.40 s with it, 2.32 s without;
 * docs/benchmarks.md, "Overhead").
 */
function kill(target: number, signal: NodeJS.Signals | 0): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(target, signal);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "EINVAL";
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Stops a process group: SIGTERM to every process in it, then SIGKILL to what is left after
 * `graceMs`. Resolves once no live process of the group remains (or, should a process survive
 * SIGKILL — stuck in the kernel — after a further `graceMs`), with whether there was any.
 */
export async function killGroup(group: number | undefined, graceMs: number): Promise<boolean> {
  if (group === undefined || !groupAlive(group)) return false;
  signalGroup(group, "SIGTERM");
  if (await gone(group, graceMs)) return true;
  signalGroup(group, "SIGKILL");
  await gone(group, graceMs);
  return true;
}

/** Polls until the group is gone or `limitMs` passed; returns whether it is gone. */
async function gone(group: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 50)) {
    if (!groupAlive(group)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
  }
}
