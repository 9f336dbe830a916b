import { readFileSync } from "node:fs";

/** Whether process `pid` is alive: it exists and is not a zombie (Linux /proc). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}
