/**
 * The only source of time in core. Real runs use the system clock (src/exec); simulations
 * and tests use a VirtualClock, so the same scheduler runs both.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch; may be fractional. */
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}
