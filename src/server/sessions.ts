import { randomBytes } from "node:crypto";
import type { Clock } from "../core/index.js";

/** How long a login ticket and a session last, in ms. */
export interface SessionTimes {
  /** Default 5 minutes. */
  readonly ticketTtlMs: number;
  /** Default 12 hours. */
  readonly sessionTtlMs: number;
}

const defaults: SessionTimes = { ticketTtlMs: 5 * 60_000, sessionTtlMs: 12 * 3_600_000 };

/**
 * The dashboard's sign-in, in memory: a login link carries a single-use, short-lived ticket;
 * redeeming it opens a session, whose id the browser keeps in an HttpOnly cookie. So no token
 * travels in a URL that stays valid, and none reaches the page's scripts. A restart forgets
 * every session: people sign in again with a new link.
 */
export class Sessions {
  readonly #clock: Clock;
  readonly #times: SessionTimes;
  /** Expiry (clock ms) by ticket. */
  readonly #tickets = new Map<string, number>();
  /** Expiry (clock ms) by session id. */
  readonly #sessions = new Map<string, number>();

  constructor(clock: Clock, times: Partial<SessionTimes> = {}) {
    this.#clock = clock;
    this.#times = { ...defaults, ...times };
  }

  /** How long a login ticket stays valid, in minutes. */
  get ticketMinutes(): number {
    return Math.round(this.#times.ticketTtlMs / 60_000);
  }

  /** A new login ticket: 32 random bytes, base64url. */
  ticket(): { readonly ticket: string; readonly expiresInSeconds: number } {
    const now = this.#clock.now();
    forgetExpired(this.#tickets, now);
    const ticket = randomBytes(32).toString("base64url");
    this.#tickets.set(ticket, now + this.#times.ticketTtlMs);
    return { ticket, expiresInSeconds: Math.round(this.#times.ticketTtlMs / 1000) };
  }

  /**
   * Opens a session for a ticket that was issued and has not expired; the ticket cannot be used
   * again. Returns the session id and its life in seconds, or undefined.
   */
  redeem(ticket: string): { readonly session: string; readonly maxAgeSeconds: number } | undefined {
    const expiresAt = this.#tickets.get(ticket);
    this.#tickets.delete(ticket);
    const now = this.#clock.now();
    if (expiresAt === undefined || expiresAt <= now) return undefined;
    forgetExpired(this.#sessions, now);
    const session = randomBytes(32).toString("base64url");
    this.#sessions.set(session, now + this.#times.sessionTtlMs);
    return { session, maxAgeSeconds: Math.round(this.#times.sessionTtlMs / 1000) };
  }

  /** Whether `session` was opened here and has not expired. */
  has(session: string): boolean {
    const expiresAt = this.#sessions.get(session);
    return expiresAt !== undefined && expiresAt > this.#clock.now();
  }
}

function forgetExpired(expiries: Map<string, number>, now: number): void {
  for (const [key, expiresAt] of expiries) if (expiresAt <= now) expiries.delete(key);
}
