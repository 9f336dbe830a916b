import { unreachable } from "../unreachable.js";

/** A circuit breaker shared by every task with the same key: data in the task spec. */
export interface BreakerPolicy {
  /** Tasks with the same key share one breaker. Default: the task id. */
  readonly key?: string;
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one trial attempt is let through, in ms (at most 2^31 − 1). Default 10,000. */
  readonly resetAfterMs?: number;
}

/**
 * CLOSED: attempts pass and failures are counted.
 * OPEN: attempts are refused until `resetAfterMs` has passed.
 * HALF_OPEN: one trial attempt is in flight; its result closes or reopens the circuit.
 */
export type BreakerStateName = "CLOSED" | "OPEN" | "HALF_OPEN";

/** The state of one breaker. */
export interface BreakerState {
  readonly name: BreakerStateName;
  /** Consecutive failures while CLOSED. */
  readonly failures: number;
  /** When the circuit last opened (clock ms); meaningful while OPEN. */
  readonly openedAt: number;
}

/** Default values of the optional breaker fields. */
export const breakerDefaults = { failureThreshold: 5, resetAfterMs: 10_000 } as const;

/** A new, closed breaker. */
export const closedBreaker: BreakerState = { name: "CLOSED", failures: 0, openedAt: 0 };

/** Asks to let one attempt through at time `now`; returns whether it may run and the next state. */
export function admit(
  state: BreakerState,
  policy: BreakerPolicy,
  now: number,
): { readonly admitted: boolean; readonly state: BreakerState } {
  switch (state.name) {
    case "CLOSED":
      return { admitted: true, state };
    case "HALF_OPEN":
      return { admitted: false, state };
    case "OPEN": {
      const resetAfter = policy.resetAfterMs ?? breakerDefaults.resetAfterMs;
      if (now - state.openedAt < resetAfter) return { admitted: false, state };
      return { admitted: true, state: { ...state, name: "HALF_OPEN" } };
    }
    default:
      return unreachable(state.name);
  }
}

/** Records the result of an admitted attempt at time `now`; returns the next state. */
export function record(
  state: BreakerState,
  policy: BreakerPolicy,
  succeeded: boolean,
  now: number,
): BreakerState {
  if (succeeded) return closedBreaker;
  if (state.name === "HALF_OPEN") return { name: "OPEN", failures: state.failures, openedAt: now };
  const failures = state.failures + 1;
  const threshold = policy.failureThreshold ?? breakerDefaults.failureThreshold;
  return failures >= threshold
    ? { name: "OPEN", failures, openedAt: now }
    : { name: "CLOSED", failures, openedAt: 0 };
}

/**
 * Ends an admitted attempt that was cancelled before it said anything about the service (the
 * run was cancelled or failed fast): no failure is counted, and a trial in flight gives way, so
 * the next attempt after the cool-down is a new trial instead of a circuit stuck half-open.
 */
export function release(state: BreakerState): BreakerState {
  return state.name === "HALF_OPEN" ? { ...state, name: "OPEN" } : state;
}
