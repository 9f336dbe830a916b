import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { admit, closedBreaker, record, release } from "./breaker.js";
import { Breakers } from "./breakers.js";
import { hasAttemptLeft, retryDelay } from "./retry.js";

describe("retry policy", () => {
  it("doubles the delay per attempt up to the maximum", () => {
    const policy = { attempts: 6, initialDelayMs: 100, maxDelayMs: 500 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((a) => retryDelay(policy, a, () => 0)),
      [100, 200, 400, 500, 500],
    );
  });

  it("keeps a fixed delay with fixed backoff", () => {
    const policy = { attempts: 3, backoff: "fixed" as const, initialDelayMs: 50 };
    assert.deepEqual(
      [1, 2].map((a) => retryDelay(policy, a, () => 0)),
      [50, 50],
    );
  });

  it("draws the jittered share of the delay at random", () => {
    const policy = { attempts: 3, initialDelayMs: 100, jitter: 0.5 };
    assert.equal(
      retryDelay(policy, 1, () => 0),
      50,
    );
    assert.equal(
      retryDelay(policy, 1, () => 0.999),
      99.95,
    );
  });

  it("keeps the delay a number between 0 and the maximum however many attempts failed", () => {
    const steep = { attempts: 1_000, factor: 10, maxDelayMs: 5_000 };
    assert.equal(
      retryDelay({ ...steep, initialDelayMs: 0 }, 999, () => 0),
      0,
    );
    assert.equal(
      retryDelay({ ...steep, initialDelayMs: 100 }, 999, () => 0),
      5_000,
    );
    assert.equal(
      retryDelay({ ...steep, initialDelayMs: 100, jitter: 1 }, 999, () => 0.5),
      2_500,
    );
  });

  it("counts attempts including the first", () => {
    assert.equal(hasAttemptLeft({ attempts: 2 }, 1), true);
    assert.equal(hasAttemptLeft({ attempts: 2 }, 2), false);
    assert.equal(hasAttemptLeft(undefined, 1), false);
  });
});

describe("circuit breaker", () => {
  const policy = { failureThreshold: 2, resetAfterMs: 100 };

  it("opens after consecutive failures and refuses until the cool-down ends", () => {
    const once = record(closedBreaker, policy, false, 0);
    assert.equal(once.name, "CLOSED");
    const open = record(once, policy, false, 10);
    assert.deepEqual(open, { name: "OPEN", failures: 2, openedAt: 10 });
    assert.equal(admit(open, policy, 109).admitted, false);
    const trial = admit(open, policy, 110);
    assert.equal(trial.admitted, true);
    assert.equal(trial.state.name, "HALF_OPEN");
    assert.equal(admit(trial.state, policy, 111).admitted, false, "one trial at a time");
  });

  it("closes after a successful trial and reopens after a failed one", () => {
    const halfOpen = { name: "HALF_OPEN" as const, failures: 2, openedAt: 0 };
    assert.equal(record(halfOpen, policy, true, 200).name, "CLOSED");
    assert.deepEqual(record(halfOpen, policy, false, 200), {
      name: "OPEN",
      failures: 2,
      openedAt: 200,
    });
  });

  it("forgets failures after a success", () => {
    const once = record(closedBreaker, policy, false, 0);
    assert.equal(record(record(once, policy, true, 1), policy, false, 2).name, "CLOSED");
  });

  it("counts nothing for a cancelled attempt, and lets the next one be a new trial", () => {
    const closed = record(closedBreaker, policy, false, 0);
    assert.equal(release(closed), closed);
    const open = { name: "OPEN" as const, failures: 2, openedAt: 10 };
    const trial = admit(open, policy, 110).state;
    assert.equal(trial.name, "HALF_OPEN");
    const released = release(trial);
    assert.deepEqual(released, open);
    assert.equal(admit(released, policy, 111).admitted, true, "no second cool-down");
  });
});

describe("Breakers.pass: one attempt through a shared breaker", () => {
  const policy = { failureThreshold: 1, resetAfterMs: 100 };

  it("counts an admitted attempt's end, and nothing for a refused one", () => {
    const breakers = new Breakers();
    const first = breakers.pass("svc", policy, 0);
    assert.equal(first.admitted, true);
    assert.deepEqual(first.end(false, 5), { key: "svc", from: "CLOSED", to: "OPEN" });
    const refused = breakers.pass("svc", policy, 10);
    assert.equal(refused.admitted, false);
    assert.equal(refused.end(true, 11), undefined);
    assert.equal(breakers.state("svc"), "OPEN", "a refused attempt's success closes nothing");
  });

  it("gives a cancelled trial back without a verdict", () => {
    const breakers = new Breakers();
    breakers.pass("svc", policy, 0).end(false, 0);
    const trial = breakers.pass("svc", policy, 100);
    assert.deepEqual(trial.change, { key: "svc", from: "OPEN", to: "HALF_OPEN" });
    assert.deepEqual(trial.end("cancelled", 101), { key: "svc", from: "HALF_OPEN", to: "OPEN" });
    assert.equal(breakers.pass("svc", policy, 102).admitted, true, "the next call is the trial");
  });
});
