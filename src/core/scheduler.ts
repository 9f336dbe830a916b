import type { TaskGraph } from "./graph.js";
import { Heap } from "./heap.js";
import { effectivePriorities } from "./plan.js";

/**
 * How ready tasks are ordered. `critical-path`: user priority (a task's own, or the highest of
 * the tasks that depend on it), then the longest remaining path, then more dependents, then
 * declaration order. `searched`: the same, with the rank a search in the simulator chose in
 * place of the remaining path (`readyRank`). `fifo`: the order they became ready.
 */
export type ReadyOrder = "searched" | "critical-path" | "fifo";

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** Slots: an integer ≥ 1, or Infinity. */
  readonly concurrency: number;
  /**
   * Each task's rank after user priority, higher first: its longest remaining weighted path
   * (see `remainingPath`), or a searched rank (see `readyRank`).
   */
  readonly remaining: Float64Array;
  /** Default `"critical-path"` (`"searched"` orders the same way: the rank is `remaining`). */
  readonly order?: ReadyOrder;
}

/** A task the scheduler has just given slots to. */
export interface Dispatch {
  readonly task: number;
  /** The lowest slot it occupies (a lane in a Gantt chart). */
  readonly slot: number;
}

const WAITING = 0;
const READY = 1;
const RUNNING = 2;
const PAUSED = 3;
const ENDED = 4;

/**
 * Event-driven list scheduling as a synchronous state machine: it decides which task runs
 * next and on which slot, and knows nothing of time or execution, so real runs and
 * simulations share it. A task is ready the moment its last dependency succeeds, and is
 * dispatched as soon as enough slots are free and its mutex is not held.
 */
export class Scheduler {
  /** Effective number of slots: the concurrency, at most the number of tasks. */
  readonly limit: number;
  readonly #graph: TaskGraph;
  readonly #state: Uint8Array;
  readonly #waitingOn: Int32Array;
  readonly #weight: Int32Array;
  readonly #before: (a: number, b: number) => boolean;
  readonly #ready: Heap<number>;
  readonly #freeSlots = new Heap<number>((a, b) => a < b);
  readonly #taken: number[][];
  readonly #holders = new Map<string, number>();
  readonly #parked = new Map<string, Heap<number>>();
  readonly #seq: Float64Array;
  #nextSeq = 0;
  #halted = false;

  constructor(graph: TaskGraph, options: SchedulerOptions) {
    const n = graph.tasks.length;
    this.#graph = graph;
    this.limit = Math.max(1, Math.min(options.concurrency, n));
    this.#state = new Uint8Array(n);
    this.#waitingOn = Int32Array.from(graph.dependencies, (deps) => deps.length);
    this.#weight = Int32Array.from(graph.tasks, (t) => Math.min(t.slots ?? 1, this.limit));
    this.#taken = new Array<number[]>(n);
    this.#seq = new Float64Array(n);
    for (let slot = 0; slot < this.limit; slot++) this.#freeSlots.push(slot);
    this.#before =
      options.order === "fifo"
        ? this.#fifo.bind(this)
        : criticalPathOrder(graph, options.remaining);
    this.#ready = new Heap(this.#before);
  }

  /**
   * Marks the tasks without (unfinished) dependencies ready and returns them. `done` are tasks
   * that already succeeded earlier (a resumed run): they never run, and count as succeeded for
   * their dependents. Call once, first.
   */
  start(done: readonly number[] = []): number[] {
    for (const task of done) {
      this.#state[task] = ENDED;
      for (const next of this.#graph.dependents[task] ?? []) {
        this.#waitingOn[next] = (this.#waitingOn[next] ?? 0) - 1;
      }
    }
    const ready: number[] = [];
    for (let task = 0; task < this.#state.length; task++) {
      if (this.#waitingOn[task] === 0 && this.#state[task] === WAITING)
        this.#makeReady(task, ready);
    }
    return ready;
  }

  /** Gives free slots to ready tasks, best first, and returns them. Nothing after `halt`. */
  dispatch(): Dispatch[] {
    const started: Dispatch[] = [];
    if (this.#halted) return started;
    const tooBig: number[] = [];
    while (this.#freeSlots.size > 0 && this.#ready.size > 0) {
      const task = this.#ready.pop() ?? 0;
      const mutex = this.#graph.tasks[task]?.mutex;
      if (mutex !== undefined && this.#holders.has(mutex)) {
        this.#park(mutex, task);
      } else if ((this.#weight[task] ?? 1) > this.#freeSlots.size) {
        tooBig.push(task);
      } else {
        started.push({ task, slot: this.#take(task, mutex) });
      }
    }
    for (const task of tooBig) this.#ready.push(task);
    return started;
  }

  /** Ends a running task successfully; returns the dependents that became ready. */
  succeed(task: number): number[] {
    this.#release(task);
    this.#state[task] = ENDED;
    const ready: number[] = [];
    for (const next of this.#graph.dependents[task] ?? []) {
      const left = (this.#waitingOn[next] ?? 0) - 1;
      this.#waitingOn[next] = left;
      if (left === 0 && this.#state[next] === WAITING) this.#makeReady(next, ready);
    }
    return ready;
  }

  /** Ends a running task as failed; returns every dependent, direct or not, that is now skipped. */
  fail(task: number): number[] {
    this.#release(task);
    this.#state[task] = ENDED;
    const skipped: number[] = [];
    const stack = [task];
    while (stack.length > 0) {
      for (const next of this.#graph.dependents[stack.pop() ?? 0] ?? []) {
        if (this.#state[next] === ENDED) continue;
        this.#state[next] = ENDED;
        skipped.push(next);
        stack.push(next);
      }
    }
    return skipped;
  }

  /** Frees a running task's slots while it waits (a retry's backoff); `resume` makes it ready. */
  pause(task: number): void {
    this.#release(task);
    this.#state[task] = PAUSED;
  }

  /** Puts a paused task back among the ready ones. */
  resume(task: number): void {
    if (this.#state[task] === PAUSED) this.#makeReady(task, []);
  }

  /**
   * Stops dispatching for good; returns the tasks that had not started (waiting, ready or
   * paused), which are now ended. Running tasks are left to end on their own.
   */
  halt(): number[] {
    this.#halted = true;
    const dropped: number[] = [];
    const state = this.#state;
    for (let task = 0; task < state.length; task++) {
      if (state[task] !== RUNNING && state[task] !== ENDED) {
        state[task] = ENDED;
        dropped.push(task);
      }
    }
    return dropped;
  }

  #makeReady(task: number, into: number[]): void {
    this.#state[task] = READY;
    this.#seq[task] = this.#nextSeq++;
    this.#ready.push(task);
    into.push(task);
  }

  #park(mutex: string, task: number): void {
    let parked = this.#parked.get(mutex);
    if (parked === undefined) {
      parked = new Heap(this.#before);
      this.#parked.set(mutex, parked);
    }
    parked.push(task);
  }

  #take(task: number, mutex: string | undefined): number {
    const slots: number[] = [];
    for (let i = this.#weight[task] ?? 1; i > 0; i--) slots.push(this.#freeSlots.pop() ?? 0);
    this.#taken[task] = slots;
    this.#state[task] = RUNNING;
    if (mutex !== undefined) this.#holders.set(mutex, task);
    return slots[0] ?? 0;
  }

  #release(task: number): void {
    if (this.#state[task] !== RUNNING) return;
    for (const slot of this.#taken[task] ?? []) this.#freeSlots.push(slot);
    this.#taken[task] = [];
    const mutex = this.#graph.tasks[task]?.mutex;
    if (mutex === undefined || this.#holders.get(mutex) !== task) return;
    this.#holders.delete(mutex);
    const next = this.#parked.get(mutex)?.pop();
    if (next !== undefined && this.#state[next] === READY) this.#ready.push(next);
  }

  #fifo(a: number, b: number): boolean {
    return (this.#seq[a] ?? 0) < (this.#seq[b] ?? 0);
  }
}

function criticalPathOrder(
  graph: TaskGraph,
  remaining: Float64Array,
): (a: number, b: number) => boolean {
  const priority = effectivePriorities(graph);
  const fanOut = Int32Array.from(graph.dependents, (d) => d.length);
  return (a, b) => {
    const pa = priority[a] ?? 0;
    const pb = priority[b] ?? 0;
    if (pa !== pb) return pa > pb;
    const ra = remaining[a] ?? 0;
    const rb = remaining[b] ?? 0;
    if (ra !== rb) return ra > rb;
    const fa = fanOut[a] ?? 0;
    const fb = fanOut[b] ?? 0;
    if (fa !== fb) return fa > fb;
    return a < b;
  };
}
