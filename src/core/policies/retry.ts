/** How a failed attempt is tried again: data in the task spec, interpreted by the functions below. */
export interface RetryPolicy {
  /** Total number of attempts, the first one included: 1 (never retry) to 1,000. */
  readonly attempts: number;
  /** Delay growth between attempts. Default `"exponential"`. */
  readonly backoff?: "exponential" | "fixed";
  /** Delay before the second attempt, in ms (at most 2^31 − 1). Default 100. */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay, in ms (at most 2^31 − 1). Default 30,000. */
  readonly maxDelayMs?: number;
  /** Multiplier per attempt for exponential backoff. Default 2. */
  readonly factor?: number;
  /** Fraction of each delay (0–1) drawn at random, to spread retries of many callers. Default 0. */
  readonly jitter?: number;
}

/** Default values of the optional retry fields. */
export const retryDefaults = {
  backoff: "exponential",
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0,
} as const;

/** Whether another attempt is allowed after attempt number `attempt` (1-based) failed. */
export function hasAttemptLeft(policy: RetryPolicy | undefined, attempt: number): boolean {
  return policy !== undefined && attempt < policy.attempts;
}

/**
 * The delay before the attempt that follows failed attempt number `attempt` (1-based).
 * `random` returns a number in [0, 1); with jitter j the delay is d·(1 − j) + d·j·random.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const initial = policy.initialDelayMs ?? retryDefaults.initialDelayMs;
  const max = policy.maxDelayMs ?? retryDefaults.maxDelayMs;
  const factor = policy.factor ?? retryDefaults.factor;
  const growth =
    (policy.backoff ?? retryDefaults.backoff) === "fixed" ? 1 : Math.pow(factor, attempt - 1);
  // Growth overflows to Infinity after enough attempts: capped by max, and 0 × Infinity is NaN.
  const delay = initial === 0 ? 0 : Math.min(max, initial * growth);
  const jitter = policy.jitter ?? retryDefaults.jitter;
  return jitter === 0 ? delay : delay * (1 - jitter) + delay * jitter * random();
}
