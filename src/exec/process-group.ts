import { setTimeout as sleep } from "node:timers/promises";
import { groupMembers, hasProc } from "./proc.js";

/** Whether any live process is left in process group `group`. Zombies do not count. */
export function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // Something is in the group; on Linux, look whether it is more than zombies.
  return hasProc ? groupMembers(group).length > 0 : true;
}

/** Sends `signal` to every process of the group; a group that has ended is ignored. */
export function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group ended in the meantime.
  }
}

/**
 * Stops a process group: SIGTERM to every process in it, then SIGKILL to what is left after
 * `graceMs`. Resolves once no live process of the group remains (or, should a process survive
 * SIGKILL — stuck in the kernel — after a further `graceMs`).
 */
export async function killGroup(group: number | undefined, graceMs: number): Promise<void> {
  if (group === undefined || !groupAlive(group)) return;
  signalGroup(group, "SIGTERM");
  if (await gone(group, graceMs)) return;
  signalGroup(group, "SIGKILL");
  await gone(group, graceMs);
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
