import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { followAbort, onAbort } from "./on-abort.js";

describe("onAbort and followAbort", () => {
  it("calls each subscriber once, and not after it unsubscribed", () => {
    const source = new AbortController();
    const calls: string[] = [];
    onAbort(source.signal, () => calls.push("a"));
    const stop = onAbort(source.signal, () => calls.push("b"));
    stop();
    source.abort();
    assert.deepEqual(calls, ["a"]);
  });

  it("aborts the follower with the source's reason, at once when the source already aborted", () => {
    const source = new AbortController();
    const later = new AbortController();
    followAbort(source.signal, later);
    assert.equal(later.signal.aborted, false);
    source.abort(new Error("run cancelled"));
    assert.equal((later.signal.reason as Error).message, "run cancelled");

    const now = new AbortController();
    followAbort(source.signal, now);
    assert.equal((now.signal.reason as Error).message, "run cancelled");
  });

  it("stops following when asked", () => {
    const source = new AbortController();
    const follower = new AbortController();
    followAbort(source.signal, follower)();
    source.abort();
    assert.equal(follower.signal.aborted, false);
  });
});
