import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AttemptContext, AttemptResult, Executor } from "../core/index.js";
import { emptyStat, readStat } from "./proc.js";
import { groupAlive, killGroup } from "./process-group.js";
import { attemptMark, markedProcesses } from "./strays.js";

/** Where the workers of this user on this machine keep their ledgers. */
export const ledgerDir = (): string =>
  join(tmpdir(), `parex-workers-${String(process.getuid?.() ?? "user")}`);

/**
 * A file per worker process listing the process groups of the attempts it runs, with their
 * marks: a worker killed with SIGKILL cannot stop its tasks, so the next worker to start on the
 * machine does, from the dead one's file ({@link stopLeftAttempts}).
 */
export class AttemptLedger {
  readonly #file: string;
  readonly #groups = new Map<number, string>();

  /** Throws when `dir` is not this user's own private directory (another user made it first?). */
  constructor(dir: string = ledgerDir(), pid: number = process.pid) {
    ownDirectory(dir);
    this.#file = join(dir, `${pid}.json`);
  }

  /** `executor`, with each attempt's process group in the ledger while it runs. */
  track<A>(executor: Executor<A>, runId: string): Executor<A> {
    return {
      execute: async (action, context): Promise<AttemptResult> => {
        const mark = attemptMark(runId, context.taskId, context.attempt);
        let group: number | undefined;
        try {
          return await executor.execute(
            action,
            withProcess(context, (pid) => {
              group = pid;
              this.#set(pid, mark);
            }),
          );
        } finally {
          if (group !== undefined) this.#delete(group);
        }
      },
    };
  }

  /** Removes the file: the worker ends with nothing running. */
  close(): void {
    rmSync(this.#file, { force: true });
  }

  #set(group: number, mark: string): void {
    this.#groups.set(group, mark);
    this.#write();
  }

  #delete(group: number): void {
    this.#groups.delete(group);
    this.#write();
  }

  #write(): void {
    try {
      const temp = `${this.#file}.tmp`;
      rmSync(temp, { force: true });
      writeFileSync(temp, JSON.stringify([...this.#groups]), { flag: "wx", mode: 0o600 });
      renameSync(temp, this.#file);
    } catch {
      // A full disk loses the ledger, never a task.
    }
  }
}

/** A context that also tells `onProcess` the attempt's process group. */
function withProcess(context: AttemptContext, onProcess: (pid: number) => void): AttemptContext {
  // Every member spelled out: a context may be a class instance whose methods a spread loses.
  return {
    taskId: context.taskId,
    attempt: context.attempt,
    signal: context.signal,
    results: context.results,
    output: (stream, chunk) => context.output(stream, chunk),
    ready: () => context.ready(),
    process: (pid) => {
      onProcess(pid);
      context.process(pid);
    },
    worker: (id) => context.worker?.(id),
  };
}

/** What {@link stopLeftAttempts} stopped of one dead worker. */
export interface LeftAttempts {
  readonly worker: number;
  /** The attempts' marks (`run/task/attempt`) whose process groups it stopped. */
  readonly stopped: readonly string[];
}

/**
 * Stops the process groups that workers which died without closing their ledger left running:
 * a group is stopped (SIGTERM, SIGKILL after `graceMs`) only while a process in it still
 * carries the attempt's mark, so a group id the system has given to another process since is
 * never hit. The dead workers' files are then removed.
 */
export async function stopLeftAttempts(
  dir: string = ledgerDir(),
  graceMs = 5_000,
): Promise<LeftAttempts[]> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => /^\d+\.json$/.test(name));
  } catch {
    return [];
  }
  const found: LeftAttempts[] = [];
  for (const name of files) {
    const worker = Number.parseInt(name, 10);
    if (processExists(worker)) continue;
    const file = join(dir, name);
    const stopped: string[] = [];
    for (const [group, mark] of readLedger(file)) {
      if (groupAlive(group) && carriesMark(group, mark)) {
        await killGroup(group, graceMs);
        stopped.push(mark);
      }
    }
    rmSync(file, { force: true });
    found.push({ worker, stopped });
  }
  return found;
}

function readLedger(file: string): [number, string][] {
  try {
    const entries = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return Array.isArray(entries)
      ? entries.filter(
          (entry): entry is [number, string] =>
            Array.isArray(entry) && Number.isInteger(entry[0]) && typeof entry[1] === "string",
        )
      : [];
  } catch {
    return [];
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a live process of `group` carries `mark`. */
function carriesMark(group: number, mark: string): boolean {
  const stat = emptyStat();
  return markedProcesses((m) => m === mark).some(
    ({ pid }) => readStat(String(pid), stat) && stat.processGroup === group,
  );
}

/**
 * Makes `dir` (mode 0700) or checks that it is a directory of this user that no one else can
 * write: in a shared temp directory, another user could have made it first to plant files.
 */
function ownDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0)
    throw new Error(
      `${dir} is not a private directory of this user (another user made it, or others can write to it): remove it, or set TMPDIR to a directory of your own.`,
    );
}
