import { randomBytes } from "node:crypto";
import type { Clock } from "../core/index.js";

/**
 * Single-use, short-lived tickets that let a browser's EventSource (which cannot send an
 * Authorization header) open one run's event stream, so a JWT never travels in a URL.
 */
export class Tickets {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #issued = new Map<string, { readonly runId: string; readonly expiresAt: number }>();

  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** A new ticket for the events of `runId`. */
  issue(runId: string): { readonly ticket: string; readonly expiresInSeconds: number } {
    const now = this.#clock.now();
    for (const [ticket, { expiresAt }] of this.#issued)
      if (expiresAt <= now) this.#issued.delete(ticket);
    const ticket = randomBytes(24).toString("base64url");
    this.#issued.set(ticket, { runId, expiresAt: now + this.#ttlMs });
    return { ticket, expiresInSeconds: Math.round(this.#ttlMs / 1000) };
  }

  /** Whether `ticket` was issued for `runId` and has not expired; it cannot be used again. */
  redeem(ticket: string, runId: string): boolean {
    const issued = this.#issued.get(ticket);
    this.#issued.delete(ticket);
    return issued !== undefined && issued.runId === runId && issued.expiresAt > this.#clock.now();
  }
}
