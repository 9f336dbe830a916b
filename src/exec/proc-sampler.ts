import {
  childPids,
  emptyStat,
  hasChildren,
  hasProc,
  pageBytes,
  processIds,
  readStat,
  ticksPerSecond,
} from "./proc.js";
import type { ProcessStat } from "./proc.js";

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
  /** Told, once, that a process of the group's tree has left the group. */
  onEscape: (() => void) | undefined;
}

/**
 * Samples /proc every `periodMs` for the process groups it tracks. A sample walks each group's
 * process tree down from its leader — a task's processes are its leader's descendants — so it
 * costs in proportion to the tasks' processes, not to every process of the machine (where the
 * kernel does not list children, it reads all of /proc once per sample instead). Nothing is
 * read when a group starts: a spawn must stay cheap. CPU time counts live processes and the
 * children they have reaped; a process that ends between two samples takes its last period
 * with it, and a task that ends before the first sample has no figures. Without /proc (not
 * Linux) it reports nothing.
 */
export class ProcSampler {
  readonly #periodMs: number;
  readonly #groups = new Map<number, Tracked>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(periodMs = 100) {
    this.#periodMs = periodMs;
  }

  /**
   * Starts sampling `group`; the returned function stops it and returns the usage. `onEscape` is
   * told when a sample finds a process of the group's tree in another group (it called `setsid`
   * or `setpgid`): one that a signal to the group no longer reaches.
   */
  track(group: number, onEscape?: () => void): () => GroupUsage | undefined {
    if (!hasProc) return () => undefined;
    this.#groups.set(group, { cpuTicks: 0, peakRss: 0, onEscape });
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
    const usage = hasChildren ? this.#walkTrees() : this.#scanAll();
    for (const [group, tracked] of this.#groups) {
      const [cpu, rss] = usage.get(group) ?? [0, 0];
      tracked.cpuTicks = Math.max(tracked.cpuTicks, cpu);
      tracked.peakRss = Math.max(tracked.peakRss, rss);
    }
  }

  /** CPU ticks and resident pages of each group, from its leader's process tree. */
  #walkTrees(): Map<number, [number, number]> {
    const usage = new Map<number, [number, number]>();
    const stat = emptyStat();
    for (const [group, tracked] of this.#groups) {
      const sum: [number, number] = [0, 0];
      const pending = [String(group)];
      // A process reparented or a pid reused mid-walk must not be counted twice.
      const seen = new Set<string>();
      for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
        if (seen.has(pid) || !readStat(pid, stat)) continue;
        seen.add(pid);
        if (stat.processGroup === group) add(sum, stat);
        else if (tracked.onEscape !== undefined) {
          tracked.onEscape();
          tracked.onEscape = undefined;
        }
        pending.push(...childPids(pid));
      }
      usage.set(group, sum);
    }
    return usage;
  }

  /** The same, from one pass over every process of the machine. */
  #scanAll(): Map<number, [number, number]> {
    const usage = new Map<number, [number, number]>();
    const stat = emptyStat();
    for (const pid of processIds()) {
      if (!readStat(pid, stat) || !this.#groups.has(stat.processGroup)) continue;
      let sum = usage.get(stat.processGroup);
      if (sum === undefined) usage.set(stat.processGroup, (sum = [0, 0]));
      add(sum, stat);
    }
    return usage;
  }
}

function add(sum: [number, number], stat: ProcessStat): void {
  sum[0] += stat.cpuTicks;
  sum[1] += stat.rssPages;
}
