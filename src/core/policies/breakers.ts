import { admit, closedBreaker, record, release } from "./breaker.js";
import type { BreakerPolicy, BreakerState, BreakerStateName } from "./breaker.js";

/** A breaker moving from one state to another. */
export interface BreakerChange {
  readonly key: string;
  readonly from: BreakerStateName;
  readonly to: BreakerStateName;
}

/** One attempt's way through a breaker: whether it may run, and how its end is counted. */
export interface Passage {
  readonly admitted: boolean;
  /** The state change the admission caused, if any. */
  readonly change?: BreakerChange;
  /**
   * Counts the attempt's end: `true` succeeded, `false` failed, `"cancelled"` cut short by its
   * run (no verdict on the service). Nothing for an attempt that was not admitted.
   */
  end(verdict: boolean | "cancelled", now: number): BreakerChange | undefined;
}

/**
 * The circuit breakers of one process, by key: every task (in every run) whose breaker has the
 * same key shares one state.
 */
export class Breakers {
  readonly #states = new Map<string, BreakerState>();

  /** The current state of the breaker `key` (CLOSED when it has never been used). */
  state(key: string): BreakerStateName {
    return (this.#states.get(key) ?? closedBreaker).name;
  }

  /** Asks to let one attempt through; returns whether it may run and the state change, if any. */
  admit(
    key: string,
    policy: BreakerPolicy,
    now: number,
  ): { readonly admitted: boolean; readonly change?: BreakerChange } {
    const before = this.#states.get(key) ?? closedBreaker;
    const result = admit(before, policy, now);
    const change = this.#set(key, before, result.state);
    return change ? { admitted: result.admitted, change } : { admitted: result.admitted };
  }

  /** {@link admit}, with the end of the attempt to count later. */
  pass(key: string, policy: BreakerPolicy, now: number): Passage {
    const { admitted, change } = this.admit(key, policy, now);
    return {
      admitted,
      ...(change ? { change } : {}),
      end: (verdict, at) => {
        if (!admitted) return undefined;
        return verdict === "cancelled" ? this.release(key) : this.record(key, policy, verdict, at);
      },
    };
  }

  /** Records an admitted attempt's result; returns the state change, if any. */
  record(
    key: string,
    policy: BreakerPolicy,
    succeeded: boolean,
    now: number,
  ): BreakerChange | undefined {
    const before = this.#states.get(key) ?? closedBreaker;
    return this.#set(key, before, record(before, policy, succeeded, now));
  }

  /** Ends an admitted attempt that was cancelled without a verdict; returns the state change, if any. */
  release(key: string): BreakerChange | undefined {
    const before = this.#states.get(key) ?? closedBreaker;
    return this.#set(key, before, release(before));
  }

  #set(key: string, before: BreakerState, after: BreakerState): BreakerChange | undefined {
    this.#states.set(key, after);
    return before.name === after.name ? undefined : { key, from: before.name, to: after.name };
  }
}

/** The breakers shared by every run in this process unless a run is given its own. */
export const processBreakers = new Breakers();
