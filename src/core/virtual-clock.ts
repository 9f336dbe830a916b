import type { Clock } from "./clock.js";
import { Heap } from "./heap.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A clock whose time moves only when told to: for simulation and for tests. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Heap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));

  /** Starts at `start` ms (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer: Timer = {
      at: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number {
    this.#dropCancelled();
    return this.#timers.size;
  }

  /** Moves time to the next timer and fires it; returns false when no timer is left. */
  next(): boolean {
    this.#dropCancelled();
    const timer = this.#timers.pop();
    if (timer === undefined) return false;
    this.#now = Math.max(this.#now, timer.at);
    timer.callback();
    return true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      this.#dropCancelled();
      const timer = this.#timers.peek();
      if (timer === undefined || timer.at > until) break;
      this.next();
    }
    this.#now = until;
  }

  /** Fires timers until none is left (timers set by callbacks included). */
  runAll(): void {
    while (this.next()) {
      // each call fires one timer
    }
  }

  #dropCancelled(): void {
    while (this.#timers.peek()?.cancelled === true) this.#timers.pop();
  }
}
