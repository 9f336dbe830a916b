import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FastifyRequest } from "fastify";
import { VirtualClock } from "../core/index.js";
import { logSerializers } from "./log-serializers.js";
import { readCookie, sessionCookie } from "./session-cookie.js";
import { Sessions } from "./sessions.js";

describe("dashboard sessions", () => {
  it("open once per ticket, while the ticket is fresh, and last as long as they were given", () => {
    const clock = new VirtualClock(1_000);
    const sessions = new Sessions(clock, { ticketTtlMs: 100, sessionTtlMs: 1_000 });
    const { ticket, expiresInSeconds } = sessions.ticket();
    assert.equal(expiresInSeconds, 0);
    const stale = sessions.ticket().ticket;
    clock.advance(99);
    const opened = sessions.redeem(ticket);
    assert.ok(opened !== undefined);
    assert.equal(opened.maxAgeSeconds, 1);
    assert.equal(sessions.redeem(ticket), undefined, "used");
    clock.advance(1);
    assert.equal(sessions.redeem(stale), undefined, "expired");
    assert.equal(sessions.redeem("made-up"), undefined);
    assert.equal(sessions.has(opened.session), true);
    clock.advance(998);
    assert.equal(sessions.has(opened.session), true);
    clock.advance(1);
    assert.equal(sessions.has(opened.session), false);
  });
});

describe("the session cookie", () => {
  it("is read from the one header among others, and is never read from a prefix of its name", () => {
    assert.equal(readCookie("a=1; parex_session=x-y_z; b=2", "parex_session"), "x-y_z");
    assert.equal(readCookie("parex_session_4000=p", "parex_session"), undefined);
    assert.equal(readCookie(undefined, "parex_session"), undefined);
  });

  it("is Secure when it came over https", () => {
    const session = { session: "abc", maxAgeSeconds: 60 };
    assert.equal(
      sessionCookie("parex_session", session, true),
      "parex_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure",
    );
  });
});

describe("a request's log line", () => {
  it("leaves out the value of a ticket in its URL", () => {
    const request = {
      method: "GET",
      url: "/login?ticket=s3cr3t&x=1",
      host: "h",
      ip: "127.0.0.1",
      socket: { remotePort: 5 },
    } as unknown as FastifyRequest;
    assert.deepEqual(logSerializers.req(request), {
      method: "GET",
      url: "/login?ticket=[redacted]&x=1",
      host: "h",
      remoteAddress: "127.0.0.1",
      remotePort: 5,
    });
  });
});
