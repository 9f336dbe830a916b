import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";

/** One process as Linux's /proc/<pid>/stat describes it. */
export interface ProcessStat {
  pid: number;
  /** R running, S sleeping, D disk, Z zombie, T stopped, ... (as a character code). */
  state: number;
  processGroup: number;
  /** User + system CPU time, its own and that of the children it has reaped, in clock ticks. */
  cpuTicks: number;
  /** Resident set size, in pages (see `pageBytes`). */
  rssPages: number;
  /** When it started, in clock ticks since the machine booted. */
  startTicks: number;
}

/** Linux's USER_HZ and page size on the platforms Node supports. */
export const ticksPerSecond = 100;
export const pageBytes = 4096;
const zombie = "Z".charCodeAt(0);

/** Whether /proc can be read here (Linux). */
export const hasProc = ((): boolean => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();

/** When the machine booted, in ms since the epoch (whole seconds: /proc/stat's `btime`). */
export function bootTimeMs(): number | undefined {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "latin1"))?.[1];
    return btime === undefined ? undefined : Number(btime) * 1_000;
  } catch {
    return undefined;
  }
}

/** The numeric entries of /proc: one per process. */
export function processIds(): string[] {
  return readdirSync("/proc").filter(
    (entry) => entry.charCodeAt(0) >= 48 && entry.charCodeAt(0) <= 57,
  );
}

/** Whether the kernel lists each thread's children (CONFIG_PROC_CHILDREN, on by default). */
export const hasChildren =
  hasProc &&
  ((): boolean => {
    try {
      readFileSync(`/proc/self/task/${process.pid}/children`);
      return true;
    } catch {
      return false;
    }
  })();

/** The pids of `pid`'s children, from every thread's list; empty once it has ended. */
export function childPids(pid: string): string[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // it ended while we looked
  }
  const children: string[] = [];
  for (const thread of threads) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${thread}/children`, "latin1");
    } catch {
      continue;
    }
    for (const child of text.trim().split(" ")) if (child !== "") children.push(child);
  }
  return children;
}

/** Every live process (zombies excluded) of process group `group`; empty without /proc. */
export function groupMembers(group: number): ProcessStat[] {
  if (!hasProc) return [];
  const members: ProcessStat[] = [];
  const stat = emptyStat();
  for (const pid of processIds()) {
    if (readStat(pid, stat) && stat.processGroup === group && stat.state !== zombie)
      members.push({ ...stat });
  }
  return members;
}

/** A ProcessStat to fill with {@link readStat}. */
export function emptyStat(): ProcessStat {
  return { pid: 0, state: 0, processGroup: 0, cpuTicks: 0, rssPages: 0, startTicks: 0 };
}

const buffer = Buffer.allocUnsafe(4096);

/**
 * Reads /proc/<pid>/stat into `out`, parsing the bytes in place: sampling every process of
 * the machine ten times a second must not leave a trail of strings for the collector.
 * Returns false when the process has ended.
 */
export function readStat(pid: string, out: ProcessStat): boolean {
  let length: number;
  try {
    const fd = openSync(`/proc/${pid}/stat`, "r");
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // it ended while we looked
  }
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const close = buffer.lastIndexOf(41, length - 1);
  if (close < 0) return false;
  out.pid = Number(pid);
  out.state = buffer[close + 2] ?? 0;
  out.cpuTicks = 0;
  let field = 1;
  let value = 0;
  for (let i = close + 4; i < length && field <= 21; i++) {
    const byte = buffer[i] ?? 32;
    if (byte >= 48 && byte <= 57) {
      value = value * 10 + byte - 48;
      continue;
    }
    if (byte === 45) continue; // a minus sign (priority, nice): part of a field we do not read
    if (field === 2) out.processGroup = value;
    else if (field >= 11 && field <= 14)
      out.cpuTicks += value; // utime, stime, cutime, cstime
    else if (field === 19) out.startTicks = value;
    else if (field === 21) out.rssPages = value;
    field++;
    value = 0;
  }
  return true;
}
