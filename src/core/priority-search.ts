import { exactOrder, exactOrderFits } from "./exact-order.js";
import { expectInteger } from "./expect.js";
import type { TaskGraph } from "./graph.js";
import { makespanOf } from "./makespan-of.js";
import { estimateOf, weightsFrom } from "./plan.js";
import type { Estimates } from "./plan.js";
import { priorityRules } from "./priority-rules.js";
import { seededRandom, standardNormal } from "./seeded-random.js";

/** Options of {@link searchPriorities}. */
export interface PrioritySearchOptions {
  /** Slots: an integer ≥ 1 or Infinity. */
  readonly concurrency: number;
  /**
   * Simulations the search may spend, the portfolio's included; the critical-path rule is
   * always judged. With `samples`, telling the ties apart costs one simulation a sample for
   * each tie on top (up to 8 ties, as many as about this budget's worth of samples). Default:
   * 15,000 / tasks, between 2 and 250 (a few ms for small graphs, about 30 ms for 10,000 tasks).
   */
  readonly evaluations?: number;
  /** Seed of the search's random moves and samples: the same seed, the same result. Default 1. */
  readonly seed?: number;
  /**
   * Perturbed duration samples (each duration times a lognormal factor of its task's spread):
   * of the orders as short on the estimates, another replaces the first found only when it ends
   * sooner on these samples by more than twice the standard error of the difference. Default
   * 0: the estimate only.
   */
  readonly samples?: number;
  /**
   * Each task's spread by id: the σ of its duration's logarithm from run to run (0.2: about
   * ±20 %), as a history learns it (`RunStore.spreads`). Tasks without one: `noise`.
   */
  readonly spreads?: Estimates;
  /** σ of the samples' lognormal factors for tasks without a spread. Default 0.2. */
  readonly noise?: number;
}

/** What {@link searchPriorities} chose. */
export interface PrioritySearch {
  /** Each task's rank after user priority, higher first: the scheduler's `remaining`. */
  readonly rank: Float64Array;
  /**
   * The portfolio rule it came from, `"exact"` when a tiny graph's branch and bound found a
   * shorter schedule, or `"local search"` when the search improved on it or found the tie the
   * samples preferred.
   */
  readonly rule: string;
  /** The simulated makespan of `rank` on the estimates. */
  readonly makespanMs: number;
  /** The simulated makespan of today's critical-path rule on the estimates. */
  readonly criticalPathMs: number;
  /** Simulations run, and a tiny graph's exact search's nodes counted as simulations. */
  readonly evaluations: number;
}

interface Candidate {
  readonly rank: Float64Array;
  readonly rule: string;
  /** Makespan on the estimates. */
  readonly point: number;
  /** Its makespan on each sample, once asked for (`Judge.onSamples`). */
  onSamples?: Float64Array;
}

/** Simulates candidates and counts the simulations. */
class Judge {
  evaluations = 0;
  readonly #graph: TaskGraph;
  readonly #concurrency: number;
  readonly #weights: Float64Array;
  readonly #samples: readonly Float64Array[];

  constructor(
    graph: TaskGraph,
    concurrency: number,
    weights: Float64Array,
    samples: Float64Array[],
    budget: number,
  ) {
    this.#graph = graph;
    this.#concurrency = concurrency;
    this.#weights = weights;
    this.#samples = samples;
    this.#tiesKept = Math.min(8, Math.ceil(budget / Math.max(1, samples.length)));
  }

  /** A candidate judged on the estimates: one simulation. */
  judge(rank: Float64Array, rule: string): Candidate {
    const c = { rank, rule, point: this.#makespan(rank, this.#weights) };
    if (this.#samples.length > 0) this.#keepTie(c);
    return c;
  }

  /**
   * The first distinct candidates as short as the shortest so far, that the samples choose
   * among: as many as the samples can judge for about the search's own budget, at most 8.
   */
  #ties: Candidate[] = [];
  readonly #tieKeys = new Set<string>();
  readonly #tiesKept: number;

  #keepTie(c: Candidate): void {
    const shortest = this.#ties[0]?.point ?? Infinity;
    if (c.point > shortest) return;
    if (c.point < shortest) {
      this.#ties = [];
      this.#tieKeys.clear();
    }
    if (this.#ties.length >= this.#tiesKept) return;
    // Ranks that list the tasks in the same order schedule them alike: one tie.
    const key = listOf(c.rank).join();
    if (this.#tieKeys.has(key)) return;
    this.#tieKeys.add(key);
    this.#ties.push(c);
  }

  /**
   * Of the shortest candidates on the estimates, the one that beats `best` on the samples: one
   * simulation a sample for each. `best` when it has no tie, or when no tie is surely better.
   */
  robust(best: Candidate): Candidate {
    if (this.#ties.length < 2) return best;
    let pick = best;
    for (const c of this.#ties) if (c.point === pick.point && this.#surelyBetter(c, pick)) pick = c;
    return pick;
  }

  /**
   * Whether `c` ends sooner than `than` on average over the samples (the same samples for
   * both), by more than twice the standard error of the difference. A few samples always make
   * one of two equally good orders look better: tasks of the same duration, say, in another
   * order. Such a difference is noise, and the order found first stays.
   */
  #surelyBetter(c: Candidate, than: Candidate): boolean {
    const a = this.#onSamples(c);
    const b = this.#onSamples(than);
    const k = a.length;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < k; i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      sum += d;
      squares += d * d;
    }
    const mean = sum / k;
    const variance = k > 1 ? (squares - k * mean * mean) / (k - 1) : 0;
    return mean < 0 && mean * mean * k > 4 * variance;
  }

  /** Its makespan on each sample, simulated the first time it is asked for. */
  #onSamples(c: Candidate): Float64Array {
    c.onSamples ??= Float64Array.from(this.#samples, (sample) => this.#makespan(c.rank, sample));
    return c.onSamples;
  }

  #makespan(rank: Float64Array, duration: Float64Array): number {
    this.evaluations++;
    return makespanOf(this.#graph, duration, { concurrency: this.#concurrency, rank });
  }
}

/**
 * Searches the order of ready tasks in the simulator, given each task's duration (unknown
 * ones: the mean of the known): evaluates a portfolio of priority rules (today's
 * critical-path rule first, so the result is never longer than its schedule on the
 * estimates), on a tiny graph searches the best list schedule exactly (`exactOrder`), then
 * improves the best by local search over a priority list (swaps, moves, restarts from the
 * best), within a budget of simulations. With `samples`, orders as short on the
 * estimates are told apart on perturbed durations (see `samples`). User priorities
 * still come first: the rank only orders tasks of equal effective priority.
 */
export function searchPriorities(
  graph: TaskGraph,
  durations: Estimates,
  options: PrioritySearchOptions,
): PrioritySearch {
  expectInteger("concurrency", options.concurrency, { min: 1, allowInfinity: true });
  const n = graph.tasks.length;
  const budget = options.evaluations ?? Math.min(250, Math.max(2, Math.floor(15_000 / (n || 1))));
  expectInteger("evaluations", budget, { min: 1 });
  const weights = weightsFrom(graph, durations);
  const random = seededRandom(options.seed ?? 1);
  const samples = perturbed(graph, weights, options, random);
  const judge = new Judge(graph, options.concurrency, weights, samples, budget);
  const rules = priorityRules(graph, weights, options.concurrency);
  const baseline = judge.judge(rules[0]?.rank ?? new Float64Array(n), "critical-path");
  let best = baseline;
  if (contends(graph, options.concurrency)) {
    for (const rule of rules.slice(1)) {
      if (judge.evaluations >= budget) break;
      const candidate = judge.judge(rule.rank, rule.name);
      if (candidate.point < best.point) best = candidate;
    }
    const tiny = exact(graph, best, {
      n,
      budget,
      random,
      judge,
      weights,
      concurrency: options.concurrency,
    });
    best = tiny.best;
    // Once the best schedule is proven, the local search can only find ties: a few moves
    // a task, for the samples to choose among, where there are samples.
    const ties = options.samples ? Math.min(budget, judge.evaluations + 4 * n) : 0;
    best = improve(best, { n, budget: tiny.proven ? ties : budget, random, judge });
    best = judge.robust(best);
  }
  return {
    rank: best.rank,
    rule: best.rule,
    makespanMs: best.point,
    criticalPathMs: baseline.point,
    evaluations: judge.evaluations,
  };
}

/** Whether ready tasks can ever compete for slots or a mutex: if not, any order is as good. */
function contends(graph: TaskGraph, concurrency: number): boolean {
  if (graph.tasks.some((t) => t.mutex !== undefined)) return true;
  const demand = graph.tasks.reduce((sum, t) => sum + (t.slots ?? 1), 0);
  return demand > concurrency;
}

interface Search {
  readonly n: number;
  readonly budget: number;
  readonly random: () => number;
  readonly judge: Judge;
}

/** The largest graph searched exactly first: beyond it the tree outgrows any small budget. */
const exactUpTo = 12;

/**
 * Search nodes a simulation's time buys: one simulation of an n-task graph costs about as
 * much as 8·n nodes (timed on the search benchmark's 8–10-task graphs: 9 µs against 0.15 µs
 * a node).
 */
const nodesPerTask = 8;

/**
 * On a tiny graph, the shortest list schedule by branch and bound (`exactOrder`), with half
 * the budget left (its nodes charged as simulations, at `nodesPerTask`); a search cut short
 * still offers the best it found. The simulator judges it like any other candidate.
 */
function exact(
  graph: TaskGraph,
  best: Candidate,
  search: Search & { readonly weights: Float64Array; readonly concurrency: number },
): { best: Candidate; proven: boolean } {
  const { n, judge } = search;
  const left = Math.floor((search.budget - judge.evaluations) / 2);
  if (n > exactUpTo || left < 1 || !exactOrderFits(graph)) return { best, proven: false };
  const found = exactOrder(graph, search.weights, {
    slots: Math.min(search.concurrency, n),
    incumbentMs: best.point,
    nodes: left * nodesPerTask * n,
  });
  judge.evaluations += Math.ceil(found.nodes / (nodesPerTask * n));
  const candidate = found.order === undefined ? best : judge.judge(rankOf(found.order), "exact");
  const shorter = candidate.point < best.point ? candidate : best;
  return { best: shorter, proven: found.complete && shorter.point <= found.makespanMs };
}

/**
 * Local search over a priority list, best first: a random swap or move of one task, kept when
 * no longer on the estimates (sideways moves cross plateaus); after a run of rejections, a
 * restart from the best list shaken by a few random swaps.
 */
function improve(start: Candidate, search: Search): Candidate {
  const { n, random, judge } = search;
  if (n < 2) return start;
  let best = start;
  let list = listOf(start.rank);
  let current = start;
  let stalled = 0;
  const window = Math.max(3, Math.ceil(n / 4));
  while (judge.evaluations < search.budget) {
    const next = list.slice();
    const i = Math.floor(random() * n);
    const j = Math.min(
      n - 1,
      Math.max(0, i + Math.ceil(random() * window) * (random() < 0.5 ? -1 : 1)),
    );
    if (random() < 0.5) swap(next, i, j);
    else next.splice(j, 0, ...next.splice(i, 1));
    const candidate = judge.judge(rankOf(next), "local search");
    if (candidate.point <= current.point) {
      list = next;
      current = candidate;
    } else stalled++;
    if (candidate.point < best.point) {
      best = candidate;
      stalled = 0;
    }
    if (stalled > 2 * n) {
      list = listOf(best.rank);
      for (let k = 0; k < 2; k++) swap(list, Math.floor(random() * n), Math.floor(random() * n));
      current = best;
      stalled = 0;
    }
  }
  return best;
}

function swap(list: number[], i: number, j: number): void {
  const a = list[i] ?? 0;
  list[i] = list[j] ?? 0;
  list[j] = a;
}

/** Tasks by rank, highest first; ties as the scheduler breaks them is not needed: by index. */
function listOf(rank: Float64Array): number[] {
  return Array.from(rank.keys()).sort((a, b) => (rank[b] ?? 0) - (rank[a] ?? 0) || a - b);
}

/** A rank that orders tasks as `list` does, first highest. */
function rankOf(list: readonly number[]): Float64Array {
  const rank = new Float64Array(list.length);
  list.forEach((task, i) => (rank[task] = list.length - i));
  return rank;
}

/**
 * `samples` copies of `weights`, each duration times exp(σ · a standard normal), σ its task's
 * spread (or `noise`).
 */
function perturbed(
  graph: TaskGraph,
  weights: Float64Array,
  options: PrioritySearchOptions,
  random: () => number,
): Float64Array[] {
  const samples = options.samples ?? 0;
  expectInteger("samples", samples, { min: 0 });
  if (samples === 0) return [];
  const noise = options.noise ?? 0.2;
  const { spreads } = options;
  const sigma = graph.tasks.map((task) => {
    const spread = spreads === undefined ? undefined : estimateOf(spreads, task.id);
    return spread !== undefined && Number.isFinite(spread) && spread >= 0 ? spread : noise;
  });
  return Array.from({ length: samples }, () =>
    weights.map((w, i) => w * Math.exp((sigma[i] ?? noise) * standardNormal(random))),
  );
}
