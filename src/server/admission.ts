import type { Clock } from "../core/index.js";

/** How much work the server takes on at once (`server.admission`). */
export interface AdmissionLimits {
  /** Most orchestrations served at once; fewer while the event loop lags (see `adjust`). */
  readonly maxInFlight: number;
  /** The adaptive limit never goes below this (nor above `maxInFlight`). */
  readonly minInFlight: number;
  /** Requests waiting for a turn; one more is shed at once. */
  readonly maxQueued: number;
  /** Longest wait for a turn in ms; a request still waiting then is shed. */
  readonly maxQueueMs: number;
  /**
   * A request shed after waiting gets its 503 once this many ms have passed since it came:
   * clients that retry at once then cannot flood the server with requests it refuses.
   */
  readonly shedAfterMs: number;
  /** Event-loop delay in ms above which the server serves fewer orchestrations at once. */
  readonly maxLoopDelayMs: number;
  /** Pipeline runs (`POST /api/v1/runs`) at once; one more is refused with 503 at once. */
  readonly maxPipelineRuns: number;
}

/** The defaults, measured in docs/benchmarks.md ("The HTTP service under overload"). */
export const admissionDefaults: AdmissionLimits = {
  maxInFlight: 1000,
  minInFlight: 16,
  maxQueued: 1000,
  maxQueueMs: 20,
  shedAfterMs: 1000,
  maxLoopDelayMs: 10,
  maxPipelineRuns: 16,
};

/** Where the adaptive limit starts: it grows while the loop keeps up. */
const initialLimit = 64;

/** Why a request was not admitted. */
export type ShedReason = "queue-full" | "queue-timeout";

/** A request's turn: `admitted`, shed for a reason, or `abandoned` (released while waiting). */
export type Verdict = "admitted" | ShedReason | "abandoned";

/**
 * Bounds the orchestrations a server serves at once, so that admitted requests keep their
 * latency when more arrive than the machine can serve: up to `maxInFlight` run, up to
 * `maxQueued` wait for at most `maxQueueMs`, and the rest are shed at once (the route
 * answers 503 with Retry-After). Time spent here is not time spent calling a service: the
 * orchestration's deadline and the services' timeouts start once admitted.
 *
 * A freed slot goes to the oldest waiter while the queue is short, and to the newest once it
 * is longer than `maxInFlight` (adaptive LIFO, as Facebook's "Fail at Scale" describes): under
 * overload the requests that just arrived are served while they are still worth serving, and
 * the oldest are shed when their wait runs out. A shed request has waited, so clients that
 * retry at once cannot turn the queue into a loop of refusals.
 */
export class Admission {
  readonly limits: AdmissionLimits;
  readonly #clock: Clock;
  #inFlight = 0;
  #queued = 0;
  #limit: number;
  readonly #floor: number;
  // The limit turned a request away (or made it wait) since the last adjustment.
  #bound = false;
  // A doubly linked list: both ends and the removal of a ticket that gave up are O(1).
  #oldest: Ticket | undefined;
  #newest: Ticket | undefined;

  constructor(limits: AdmissionLimits, clock: Clock) {
    this.limits = limits;
    this.#clock = clock;
    this.#floor = Math.max(1, Math.min(limits.minInFlight, limits.maxInFlight));
    this.#limit = Math.max(this.#floor, Math.min(initialLimit, limits.maxInFlight));
  }

  /** Orchestrations served at once now, at most `maxInFlight`. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Adapts the limit to the event loop, called a few times a second with the loop's delay
   * over the last interval: a lagging loop (more than `maxLoopDelayMs`) means the server
   * took on more than its CPU serves promptly, so the limit halves (not below `minInFlight`); a prompt loop with the
   * limit reached lets it grow by a fifth, up to `maxInFlight` (as TCP's congestion window
   * and adaptive concurrency limiters do). Growing lets waiters in.
   */
  adjust(loopDelayMs: number): void {
    if (loopDelayMs > this.limits.maxLoopDelayMs) {
      this.#limit = Math.max(this.#floor, Math.floor(this.#limit / 2));
    } else if (this.#bound) {
      this.#limit = Math.min(this.limits.maxInFlight, Math.ceil(this.#limit * 1.2));
      while (this.#inFlight < this.#limit && this.#queued > 0) {
        this.#inFlight++;
        this.#leaveQueue(this.#next(), "admitted");
      }
    }
    this.#bound = false;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#queued;
  }

  /**
   * A request's ticket: `admitted` at once when a slot is free, `queue-full` at once when the
   * queue is, otherwise a wait. Release it when the request is answered or goes away, in any
   * state: it frees the slot or gives up the wait.
   */
  enter(): Ticket {
    if (this.#inFlight < this.#limit) {
      this.#inFlight++;
      return new Ticket(this, "admitted");
    }
    this.#bound = true;
    if (this.#queued >= this.limits.maxQueued) return new Ticket(this, "queue-full");
    const ticket = new Ticket(this, undefined);
    ticket.queued = true;
    ticket.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = ticket;
    else this.#newest.newer = ticket;
    this.#newest = ticket;
    this.#queued++;
    const { maxQueueMs, shedAfterMs } = this.limits;
    ticket.cancelTimer = this.#clock.setTimer(maxQueueMs, () => {
      this.#leaveQueue(ticket, undefined);
      // Out of the queue, holding no slot: only its answer waits.
      ticket.cancelTimer = this.#clock.setTimer(Math.max(0, shedAfterMs - maxQueueMs), () =>
        ticket.decide("queue-timeout"),
      );
    });
    return ticket;
  }

  /** @internal A waiting ticket gives up: its request went away. */
  giveUp(ticket: Ticket): void {
    if (ticket.queued) this.#leaveQueue(ticket, "abandoned");
    else {
      ticket.cancelTimer();
      ticket.decide("abandoned");
    }
  }

  /** @internal An admitted ticket's slot is free: a waiter, if any, takes it. */
  leave(): void {
    if (this.#queued === 0 || this.#inFlight > this.#limit) this.#inFlight--;
    else this.#leaveQueue(this.#next(), "admitted");
  }

  /** The waiter a free slot goes to: the oldest, or the newest while the queue is long. */
  #next(): Ticket {
    const next = this.#queued > this.#limit ? this.#newest : this.#oldest;
    if (next === undefined) throw new Error("no request is waiting");
    return next;
  }

  #leaveQueue(ticket: Ticket, verdict: Verdict | undefined): void {
    if (!ticket.queued) return;
    ticket.queued = false;
    if (ticket.older === undefined) this.#oldest = ticket.newer;
    else ticket.older.newer = ticket.newer;
    if (ticket.newer === undefined) this.#newest = ticket.older;
    else ticket.newer.older = ticket.older;
    ticket.older = ticket.newer = undefined;
    this.#queued--;
    ticket.cancelTimer();
    if (verdict !== undefined) ticket.decide(verdict);
  }
}

/** One request's place: its verdict, and the slot it holds until released. */
export class Ticket {
  readonly #admission: Admission;
  #verdict: Verdict | undefined;
  #released = false;
  #settle: ((verdict: Verdict) => void) | undefined;
  /** @internal */
  cancelTimer: () => void = () => undefined;
  /** @internal In the queue (not yet admitted, nor waiting for its shed answer). */
  queued = false;
  /** @internal Neighbours in the queue. */
  older: Ticket | undefined;
  /** @internal */
  newer: Ticket | undefined;

  /** @internal */
  constructor(admission: Admission, verdict: Verdict | undefined) {
    this.#admission = admission;
    this.#verdict = verdict;
  }

  /** The verdict, once known: synchronously for `admitted` and `queue-full` at entry. */
  get verdict(): Verdict | undefined {
    return this.#verdict;
  }

  /** Resolves with the verdict. */
  wait(): Promise<Verdict> {
    if (this.#verdict !== undefined) return Promise.resolve(this.#verdict);
    return new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Frees the slot (admitted) or gives up the wait (queued); nothing otherwise. Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#verdict === "admitted") this.#admission.leave();
    else if (this.#verdict === undefined) this.#admission.giveUp(this);
  }

  /** @internal */
  decide(verdict: Verdict): void {
    if (this.#verdict !== undefined) return;
    this.#verdict = verdict;
    this.#settle?.(verdict);
  }
}
