import type { BreakerPolicy } from "./policies/breaker.js";
import type { RetryPolicy } from "./policies/retry.js";

/**
 * An HTTP call to a configured service: the action of the tasks `parex serve` orchestrates.
 * Plain data, fixed in config: a request never supplies a URL.
 */
export interface ServiceCall {
  /** An absolute http:// or https:// URL. */
  readonly url: string;
  /** Default `"GET"`. */
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent with every call. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The JSON body (not sent with GET). Strings `"{{input}}"`, `"{{input.a.b}}"` and
   * `"{{results.users}}"` are replaced by the request's input and the dependencies' results.
   * Default for other methods: `{ "input": "{{input}}", "results": "{{results}}" }`.
   */
  readonly body?: unknown;
}

/** A configured service: the call, and the policies core applies to it. */
export interface ServiceSpec extends ServiceCall {
  /** Each attempt is aborted after this many ms. Default: only the request's deadline. */
  readonly timeoutMs?: number;
  /** Retries of failed calls. Default: none (a request's `retryAttempts` overrides `attempts`). */
  readonly retry?: RetryPolicy;
  /** The service's circuit breaker, shared by every request. Default: core's breaker defaults. */
  readonly breaker?: Omit<BreakerPolicy, "key">;
  /** Stands in for the answer when every attempt failed and the request enables fallbacks. */
  readonly fallback?: { readonly value: unknown };
  /** Tiers (the JWT's `tier` claim) allowed to call it. Default: every caller. */
  readonly tiers?: readonly string[];
  /** Services whose answers this one needs; they are called first. */
  readonly dependsOn?: readonly string[];
}
