import { readdirSync, readFileSync } from "node:fs";
import { hasProc, pageBytes, ticksPerSecond } from "./proc.js";

/** What a process group used, as sampled. */
export interface GroupUsage {
  /** CPU time (user + system) of the group's processes, in ms; absent when too short to see. */
  readonly cpuMs?: number;
  /** The largest total resident memory of the group seen at one time, in bytes. */
  readonly peakRssBytes: number;
}

interface Tracked {
  cpuTicks: number;
  peakRss: number;
}

/**
 * Samples /proc every `periodMs` for the process groups it tracks, with one pass over /proc
 * per sample whatever the number of groups. CPU time counts live processes and the children
 * they have reaped; a group member that ends between two samples takes its last period with
 * it, so figures of very short tasks are lower bounds. Without /proc (not Linux) it reports
 * nothing.
 */
export class ProcSampler {
  readonly #periodMs: number;
  readonly #groups = new Map<number, Tracked>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(periodMs = 100) {
    this.#periodMs = periodMs;
  }

  /** Starts sampling `group`; the returned function stops it and returns the usage. */
  track(group: number): () => GroupUsage | undefined {
    if (!hasProc) return () => undefined;
    const tracked = { cpuTicks: 0, peakRss: 0 };
    this.#groups.set(group, tracked);
    // The leader alone now (one file, not all of /proc); whole groups at each period.
    const leader = stat(String(group));
    if (leader !== undefined) {
      tracked.cpuTicks = ticks(leader);
      tracked.peakRss = Number(leader[21]);
    }
    this.#timer ??= setInterval(() => this.#sample(), this.#periodMs).unref();
    return () => {
      const tracked = this.#groups.get(group);
      this.#groups.delete(group);
      if (this.#groups.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
      // Never seen alive by a sample (it ended within one period): nothing honest to report.
      if (tracked === undefined || tracked.peakRss === 0) return undefined;
      const peakRssBytes = tracked.peakRss * pageBytes;
      // No tick seen is "too short to tell" (ticks are 10 ms), not zero.
      if (tracked.cpuTicks === 0) return { peakRssBytes };
      return { cpuMs: (tracked.cpuTicks * 1000) / ticksPerSecond, peakRssBytes };
    };
  }

  #sample(): void {
    const cpu = new Map<number, number>();
    const rss = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      const first = entry.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const fields = stat(entry);
      if (fields === undefined) continue;
      const group = Number(fields[2]);
      if (!this.#groups.has(group)) continue;
      cpu.set(group, (cpu.get(group) ?? 0) + ticks(fields));
      rss.set(group, (rss.get(group) ?? 0) + Number(fields[21]));
    }
    for (const [group, tracked] of this.#groups) {
      tracked.cpuTicks = Math.max(tracked.cpuTicks, cpu.get(group) ?? 0);
      tracked.peakRss = Math.max(tracked.peakRss, rss.get(group) ?? 0);
    }
  }
}

/** utime + stime, and cutime + cstime of the children it has reaped. */
function ticks(fields: readonly string[]): number {
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

function stat(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "latin1");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}
