import type { ChildProcess } from "node:child_process";
import { closed } from "./process-output.js";

/**
 * How long an attempt's pipes may stay open after its process group has ended before a process
 * outside the group is looked for: their end of file normally comes within a turn or two of the
 * event loop. Too short costs only a look that finds nothing.
 */
const pipesGraceMs = 100;

/** What {@link afterExit} does with one attempt. */
export interface Leftovers {
  /** Stops the attempt's process group; resolves with whether anything was left in it. */
  stop(): Promise<boolean>;
  /** Whether a process may have left the group: set by whoever saw a sign of it. */
  readonly signs: { seen: boolean };
  /** Stops the processes carrying the attempt's mark, wherever they are. */
  sweep(): Promise<void>;
  /** After SIGTERM, how long before SIGKILL; also how long the pipes may take to close. */
  readonly graceMs: number;
}

/**
 * What follows the exit of an attempt's leader: what it left in its group is stopped, its pipes
 * are waited for, and its processes outside the group (`setsid`, double forks) are swept by
 * their mark — but only on a sign of them, as a sweep reads every process of the machine: the
 * attempt was stopped (timeout, cancellation, a service stopped), it left processes in its group,
 * a sample saw one of its processes in another group, or its pipes stayed open after its group
 * ended. The run's end sweeps whatever no sign gave away.
 */
export async function afterExit(child: ChildProcess, attempt: Leftovers): Promise<void> {
  if (await attempt.stop()) attempt.signs.seen = true;
  const pipesClosed = await closed(child, pipesGraceMs);
  if (attempt.signs.seen || !pipesClosed) await attempt.sweep();
  if (pipesClosed || (await closed(child, attempt.graceMs))) return;
  // Held by a process that is neither in the group nor marked (it cleared its environment).
  child.stdout?.destroy();
  child.stderr?.destroy();
}
