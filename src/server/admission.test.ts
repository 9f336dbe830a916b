import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VirtualClock } from "../core/index.js";
import { Admission } from "./admission.js";

const limits = {
  maxInFlight: 2,
  minInFlight: 1,
  maxQueued: 1,
  maxQueueMs: 50,
  shedAfterMs: 50,
  maxLoopDelayMs: 20,
  maxPipelineRuns: 1,
};

describe("Admission", () => {
  it("admits up to maxInFlight at once, queues maxQueued, and sheds the rest at once", () => {
    const admission = new Admission(limits, new VirtualClock());
    const verdicts = [1, 2, 3, 4].map(() => admission.enter().verdict);
    assert.deepEqual(verdicts, ["admitted", "admitted", undefined, "queue-full"]);
    assert.equal(admission.inFlight, 2);
    assert.equal(admission.queued, 1);
  });

  it("hands a freed slot to the longest waiter, in arrival order", async () => {
    const admission = new Admission({ ...limits, maxQueued: 2 }, new VirtualClock());
    const first = admission.enter();
    admission.enter();
    const order: string[] = [];
    const a = admission.enter();
    const b = admission.enter();
    void a.wait().then((verdict) => order.push(`a ${verdict}`));
    void b.wait().then((verdict) => order.push(`b ${verdict}`));
    first.release();
    await Promise.resolve();
    assert.deepEqual(order, ["a admitted"]);
    assert.equal(admission.inFlight, 2);
    assert.equal(admission.queued, 1);
  });

  it("sheds a request that waited maxQueueMs, and frees its place in the queue", async () => {
    const clock = new VirtualClock();
    const admission = new Admission(limits, clock);
    admission.enter();
    admission.enter();
    const waiting = admission.enter();
    clock.advance(49);
    assert.equal(waiting.verdict, undefined);
    clock.advance(1);
    assert.equal(await waiting.wait(), "queue-timeout");
    assert.equal(admission.queued, 0);
    assert.equal(admission.enter().verdict, undefined, "the queue has room again");
  });

  it("gives up the wait of a request released while queued: it never takes a slot", async () => {
    const clock = new VirtualClock();
    const admission = new Admission(limits, clock);
    const running = admission.enter();
    admission.enter();
    const gone = admission.enter();
    gone.release();
    assert.equal(await gone.wait(), "abandoned");
    running.release();
    assert.equal(admission.inFlight, 1, "the slot went to nobody");
    clock.runAll();
  });

  it("frees a slot once however often a ticket is released, and never for a shed one", () => {
    const admission = new Admission({ ...limits, maxQueued: 0 }, new VirtualClock());
    const admitted = admission.enter();
    const other = admission.enter();
    const shed = admission.enter();
    assert.equal(shed.verdict, "queue-full");
    admitted.release();
    admitted.release();
    shed.release();
    assert.equal(admission.inFlight, 1);
    other.release();
    assert.equal(admission.inFlight, 0);
  });

  it("holds the 503 of a request that waited in vain until shedAfterMs, its queue place freed", async () => {
    const clock = new VirtualClock();
    const admission = new Admission({ ...limits, shedAfterMs: 1000 }, clock);
    admission.enter();
    admission.enter();
    const late = admission.enter();
    clock.advance(50);
    assert.equal(admission.queued, 0, "it no longer waits for a turn");
    assert.equal(late.verdict, undefined, "its answer is held");
    const next = admission.enter();
    clock.advance(949);
    assert.equal(late.verdict, undefined);
    clock.advance(1);
    assert.equal(await late.wait(), "queue-timeout");
    next.release();
    assert.equal(await next.wait(), "abandoned");
  });

  it("shrinks the limit while the event loop lags, and grows it back when the limit binds", () => {
    const admission = new Admission(
      { ...limits, maxInFlight: 100, minInFlight: 16, maxQueued: 100 },
      new VirtualClock(),
    );
    assert.equal(admission.limit, 64);
    admission.adjust(50);
    admission.adjust(50);
    assert.equal(admission.limit, 16);
    admission.adjust(50);
    assert.equal(admission.limit, 16, "never below minInFlight");
    admission.adjust(5);
    assert.equal(admission.limit, 16, "nothing waited: no reason to grow");
    const tickets = Array.from({ length: 18 }, () => admission.enter());
    assert.equal(admission.queued, 2);
    admission.adjust(5);
    assert.equal(admission.limit, 20);
    assert.equal(admission.inFlight, 18, "the larger limit let both waiters in");
    assert.equal(tickets.filter((t) => t.verdict === "admitted").length, 18);
  });
});
