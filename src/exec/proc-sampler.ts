import { emptyStat, hasProc, pageBytes, processIds, readStat, ticksPerSecond } from "./proc.js";

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
    const leader = emptyStat();
    if (readStat(String(group), leader)) {
      tracked.cpuTicks = leader.cpuTicks;
      tracked.peakRss = leader.rssPages;
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
    const stat = emptyStat();
    for (const pid of processIds()) {
      if (!readStat(pid, stat) || !this.#groups.has(stat.processGroup)) continue;
      cpu.set(stat.processGroup, (cpu.get(stat.processGroup) ?? 0) + stat.cpuTicks);
      rss.set(stat.processGroup, (rss.get(stat.processGroup) ?? 0) + stat.rssPages);
    }
    for (const [group, tracked] of this.#groups) {
      tracked.cpuTicks = Math.max(tracked.cpuTicks, cpu.get(group) ?? 0);
      tracked.peakRss = Math.max(tracked.peakRss, rss.get(group) ?? 0);
    }
  }
}
