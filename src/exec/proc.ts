import { readdirSync, readFileSync } from "node:fs";

/** One process as Linux's /proc/<pid>/stat describes it. */
export interface ProcessStat {
  readonly pid: number;
  /** R running, S sleeping, D disk, Z zombie, T stopped, ... */
  readonly state: string;
  readonly processGroup: number;
  /** User + system CPU time, in clock ticks (see `ticksPerSecond`). */
  readonly cpuTicks: number;
  /** Resident set size, in pages (see `pageBytes`). */
  readonly rssPages: number;
}

/** Linux's USER_HZ and page size on the platforms Node supports. */
export const ticksPerSecond = 100;
export const pageBytes = 4096;

/** Whether /proc can be read here (Linux). */
export const hasProc = ((): boolean => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();

/** Every live process (zombies excluded) of process group `group`; empty without /proc. */
export function groupMembers(group: number): ProcessStat[] {
  if (!hasProc) return [];
  const members: ProcessStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readStat(entry);
    if (stat !== undefined && stat.processGroup === group && stat.state !== "Z") members.push(stat);
  }
  return members;
}

function readStat(pid: string): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined; // it ended while we looked
  }
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    pid: Number(pid),
    state: fields[0] ?? "",
    processGroup: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssPages: Number(fields[21]),
  };
}
