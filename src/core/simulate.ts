import { expectInteger } from "./expect.js";
import type { TaskGraph } from "./graph.js";
import { criticalPath, levels, weightsFrom } from "./plan.js";
import type { Estimates } from "./plan.js";
import { readyRank } from "./ready-rank.js";
import { Scheduler } from "./scheduler.js";
import type { ReadyOrder } from "./scheduler.js";
import { VirtualClock } from "./virtual-clock.js";

/** One task's place in a simulated schedule, in ms from the start. */
export interface ScheduledTask {
  readonly id: string;
  readonly slot: number;
  readonly start: number;
  readonly end: number;
}

/** A predicted run. */
export interface Simulation {
  readonly makespanMs: number;
  /** In declaration order. */
  readonly schedule: readonly ScheduledTask[];
  /** Task ids in the order the scheduler started them. */
  readonly started: readonly string[];
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Slots: an integer ≥ 1 or Infinity. */
  readonly concurrency: number;
  /**
   * Default `"searched"`, what a run with estimates does: the order a search in the simulator
   * chose (`"critical-path"`: today's rule without a search, for comparison).
   */
  readonly order?: ReadyOrder;
  /**
   * What the scheduler believes the durations are, for ordering. Default: the true durations
   * (a warm run); pass `{}` for a cold run that knows nothing.
   */
  readonly estimates?: Estimates;
  /** Each task's run-to-run spread, for the search's samples (see `RunOptions.spreads`). */
  readonly spreads?: Estimates;
}

/**
 * Predicts a run: the real scheduler on a virtual clock, each task taking its duration
 * (unknown ones: the mean of the known, or 1). Every task is assumed to succeed.
 */
export function simulate(
  graph: TaskGraph,
  durations: Estimates,
  options: SimulateOptions,
): Simulation {
  expectInteger("concurrency", options.concurrency, { min: 1, allowInfinity: true });
  const duration = weightsFrom(graph, durations);
  const order = options.order ?? "searched";
  const scheduler = new Scheduler(graph, {
    concurrency: options.concurrency,
    remaining: readyRank(graph, options.estimates ?? durations, {
      concurrency: options.concurrency,
      order,
      ...(options.spreads === undefined ? {} : { spreads: options.spreads }),
    }),
    order,
  });
  const clock = new VirtualClock();
  const schedule = new Array<ScheduledTask>(graph.tasks.length);
  const started: string[] = [];
  const dispatch = (): void => {
    for (const { task, slot } of scheduler.dispatch()) {
      const start = clock.now();
      started.push(graph.tasks[task]?.id ?? "");
      clock.setTimer(duration[task] ?? 0, () => {
        schedule[task] = { id: graph.tasks[task]?.id ?? "", slot, start, end: clock.now() };
        scheduler.succeed(task);
        dispatch();
      });
    }
  };
  scheduler.start();
  dispatch();
  clock.runAll();
  return { makespanMs: clock.now(), schedule, started };
}

/**
 * Predicts what a wave-barrier runner does (the seeds' way): each topological level starts
 * only when the whole previous level has ended; within a level, tasks take the earliest free
 * slot in declaration order.
 */
export function simulateWaves(
  graph: TaskGraph,
  durations: Estimates,
  concurrency: number,
): Simulation {
  expectInteger("concurrency", concurrency, { min: 1, allowInfinity: true });
  const duration = weightsFrom(graph, durations);
  const level = levels(graph);
  const byLevel: number[][] = [];
  level.forEach((l, task) => (byLevel[l] ??= []).push(task));
  const slots = Math.max(1, Math.min(concurrency, graph.tasks.length));
  const schedule = new Array<ScheduledTask>(graph.tasks.length);
  let waveStart = 0;
  for (const wave of byLevel) {
    const free = new Array<number>(slots).fill(waveStart);
    let waveEnd = waveStart;
    for (const task of wave) {
      const slot = earliest(free);
      const start = free[slot] ?? waveStart;
      const end = start + (duration[task] ?? 0);
      free[slot] = end;
      waveEnd = Math.max(waveEnd, end);
      schedule[task] = { id: graph.tasks[task]?.id ?? "", slot, start, end };
    }
    waveStart = waveEnd;
  }
  const started = byLevel
    .flat()
    .sort((a, b) => (schedule[a]?.start ?? 0) - (schedule[b]?.start ?? 0))
    .map((task) => graph.tasks[task]?.id ?? "");
  return { makespanMs: waveStart, schedule, started };
}

function earliest(free: readonly number[]): number {
  let best = 0;
  for (let slot = 1; slot < free.length; slot++) {
    if ((free[slot] ?? 0) < (free[best] ?? 0)) best = slot;
  }
  return best;
}

/** One point of a scalability curve. */
export interface ScalabilityPoint {
  readonly slots: number;
  /** Predicted makespan with parex's critical-path rule (its order before the search). */
  readonly makespanMs: number;
  /**
   * Predicted makespan of the order a run with these durations searches (`simulate`'s
   * default), for graphs of up to 120 tasks. Absent for larger graphs, where a search per
   * slot count would cost several times the rest of the curve and gains under 0.01 % at 1,000
   * and 10,000 tasks (the search benchmark), and in summaries stored before it was computed.
   */
  readonly searchedMakespanMs?: number;
  /** Predicted makespan of a wave-barrier runner. */
  readonly waveMakespanMs: number;
  /** max(critical path, work / slots): no schedule does better. */
  readonly lowerBoundMs: number;
  /** Work / makespan of the critical-path rule: the speedup over one slot. */
  readonly speedup: number;
}

/** The largest graph whose curve gives the searched order's makespan. */
const searchedUpTo = 120;

/**
 * Predicted makespans for 1..maxSlots slots: what more (or fewer) slots would buy, with the
 * critical-path rule, the searched order a warm run takes, and wave barriers.
 */
export function scalability(
  graph: TaskGraph,
  durations: Estimates,
  maxSlots: number,
): ScalabilityPoint[] {
  expectInteger("maxSlots", maxSlots, { min: 1 });
  const weights = weightsFrom(graph, durations);
  const work = weights.reduce((a, b) => a + b, 0);
  const cp = criticalPath(graph, weights).length;
  const points: ScalabilityPoint[] = [];
  for (let slots = 1; slots <= maxSlots; slots++) {
    const predict = (order: ReadyOrder): number =>
      simulate(graph, durations, { concurrency: slots, order }).makespanMs;
    const makespanMs = predict("critical-path");
    // One slot runs the work end to end in any order: nothing to search.
    const searched =
      graph.tasks.length > searchedUpTo
        ? {}
        : { searchedMakespanMs: slots === 1 ? makespanMs : predict("searched") };
    points.push({
      slots,
      makespanMs,
      ...searched,
      waveMakespanMs: simulateWaves(graph, durations, slots).makespanMs,
      lowerBoundMs: Math.max(cp, work / slots),
      speedup: makespanMs === 0 ? 1 : work / makespanMs,
    });
  }
  return points;
}
