import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { emptyStat, hasProc, processIds, readStat } from "./proc.js";
import { signalProcess } from "./process-group.js";

/**
 * The environment variable that marks every process of a task: `<run id>/<task id>/<attempt>`.
 * A process inherits it from its parent, through `setsid` and double forks that take it out of
 * its task's process group: it is how its task's processes are found when the group is gone
 * (Jenkins finds a build's strays the same way, by its BUILD_ID).
 */
export const markVariable = "PAREX_TASK";

/** The mark of one attempt's processes. */
export const attemptMark = (runId: string, taskId: string, attempt: number): string =>
  `${runId}/${taskId}/${attempt}`;

/** A process a task left behind, found by its mark. */
export interface Stray {
  readonly pid: number;
  /** Its command name (`/proc/<pid>/comm`). */
  readonly command: string;
  /** Its `PAREX_TASK`. */
  readonly mark: string;
}

const needle = Buffer.from(`${markVariable}=`);
let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The live processes whose `PAREX_TASK` is one `wanted` accepts, from one pass over /proc: those
 * of the user (other users' environments cannot be read; root reads them all). Empty without
 * /proc (macOS). A process that cleared its environment, or was started without it, is not
 * found. A pass reads every process's environment: ~0.1 ms a process
 * (`node bench/probes/sweep-cost.mjs`), so it is done only when a task shows a sign of strays,
 * and once when the run ends.
 */
export function markedProcesses(wanted: (mark: string) => boolean): Stray[] {
  if (!hasProc) return [];
  const found: Stray[] = [];
  for (const pid of processIds()) {
    if (Number(pid) === process.pid) continue;
    const mark = markOf(pid);
    if (mark === undefined || !wanted(mark)) continue;
    const stat = emptyStat();
    if (!readStat(pid, stat) || stat.state === zombie) continue;
    found.push({ pid: Number(pid), command: commandOf(pid), mark });
  }
  return found;
}

const zombie = "Z".charCodeAt(0);

/** A process's `PAREX_TASK`, read from its environment as it was started. */
function markOf(pid: string): string | undefined {
  const length = readEnviron(pid);
  if (length === 0) return undefined;
  const environ = buffer.subarray(0, length);
  for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
    if (at > 0 && environ[at - 1] !== 0) continue; // inside another variable's value
    const end = environ.indexOf(0, at);
    return environ.toString("utf8", at + needle.length, end < 0 ? length : end);
  }
  return undefined;
}

/** Reads /proc/<pid>/environ into `buffer` (grown as needed); its length, 0 when unreadable. */
function readEnviron(pid: string): number {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, "r");
  } catch {
    return 0; // ended, or another user's
  }
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger);
        buffer = larger;
      }
      const wanted = buffer.length - length;
      const read = readSync(fd, buffer, length, wanted, length);
      length += read;
      // The kernel fills a read of environ as far as it goes: a short one is its end. Not
      // reading again to be told so took a pass over 2,616 processes from 203 to 143 ms
      // (medians of 20, `node --import tsx bench/probes/sweep-cost.mjs 20 0 500 2000`).
      if (read < wanted) return length;
    }
  } catch {
    return 0;
  } finally {
    closeSync(fd);
  }
}

function commandOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trimEnd();
  } catch {
    return "?";
  }
}

/**
 * Stops the processes `wanted` accepts: SIGTERM, then, after `graceMs`, SIGKILL to every one of
 * them still running (looked up again, so that none started meanwhile is missed, and no pid taken
 * by another process since is hit). Resolves with those it signalled, once they are gone (or a
 * further `graceMs` has passed).
 */
export async function killMarked(
  wanted: (mark: string) => boolean,
  graceMs: number,
): Promise<Stray[]> {
  const found = markedProcesses(wanted);
  if (found.length === 0) return [];
  for (const stray of found) signalProcess(stray.pid, graceMs === 0 ? "SIGKILL" : "SIGTERM");
  const killed = new Map(found.map((stray) => [stray.pid, stray]));
  if (await ended(found, graceMs)) return [...killed.values()];
  const left = markedProcesses(wanted);
  for (const stray of left) {
    signalProcess(stray.pid, "SIGKILL");
    killed.set(stray.pid, stray);
  }
  await ended(left, graceMs);
  return [...killed.values()];
}

/** Polls until every one of `strays` has ended or `limitMs` passed; returns whether they ended. */
async function ended(strays: readonly Stray[], limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  const stat = emptyStat();
  const running = () =>
    strays.some(({ pid }) => readStat(String(pid), stat) && stat.state !== zombie);
  for (let wait = 5; ; wait = Math.min(wait * 2, 50)) {
    if (!running()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
  }
}

/** The processes of one run that were found and stopped, by the attempt they came from. */
export interface StraysOfAttempt {
  readonly taskId: string;
  readonly attempt: number;
  readonly processes: readonly { readonly pid: number; readonly command: string }[];
}

/** Groups strays of run `runId` by the attempt their mark names. */
export function byAttempt(runId: string, strays: readonly Stray[]): StraysOfAttempt[] {
  const groups = new Map<string, { taskId: string; attempt: number; processes: Stray[] }>();
  for (const stray of strays) {
    const rest = stray.mark.slice(runId.length + 1);
    const slash = rest.lastIndexOf("/");
    const key = stray.mark;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        taskId: rest.slice(0, slash),
        attempt: Number(rest.slice(slash + 1)),
        processes: [],
      };
      groups.set(key, group);
    }
    group.processes.push(stray);
  }
  return [...groups.values()].map(({ taskId, attempt, processes }) => ({
    taskId,
    attempt,
    processes: processes.map(({ pid, command }) => ({ pid, command })),
  }));
}

/** An attempt whose processes a sweep leaves alone: a service kept running after its run. */
export interface SparedAttempt {
  readonly taskId: string;
  readonly attempt: number;
}

/**
 * Every process of run `runId` still running, except those of the `spared` attempts: stops
 * them, and says which they were.
 */
export async function killRunStrays(
  runId: string,
  graceMs: number,
  spared: readonly SparedAttempt[] = [],
): Promise<StraysOfAttempt[]> {
  const prefix = `${runId}/`;
  const kept = new Set(spared.map((a) => attemptMark(runId, a.taskId, a.attempt)));
  const wanted = (mark: string): boolean => mark.startsWith(prefix) && !kept.has(mark);
  return byAttempt(runId, await killMarked(wanted, graceMs));
}
