import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, it } from "node:test";
import { VirtualClock } from "../core/index.js";
import type { RunEvent } from "../core/index.js";
import { EventLog } from "./event-log.js";
import { streamEvents } from "./sse.js";

/** A response whose unread bytes the test sets: a client that reads slowly, or not at all. */
class FakeResponse {
  written = "";
  status = 0;
  ended = false;
  destroyed = false;
  writableLength = 0;
  readonly #onClose: (() => void)[] = [];
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): void {
    this.ended = true;
    for (const close of this.#onClose) close();
  }
  destroy(): void {
    this.destroyed = true;
    for (const close of this.#onClose) close();
  }
  on(event: string, listener: () => void): this {
    if (event === "close") this.#onClose.push(listener);
    return this;
  }
}

const event = (taskId: string): RunEvent => ({ type: "task.queued", runId: "r", time: 0, taskId });
const options = {
  lastId: 0,
  maxBufferedBytes: 1000,
  correlationId: "c",
  heartbeatMs: 15_000,
  clock: new VirtualClock(),
};

describe("server-sent events", () => {
  it("replays what is kept, then streams each new event, and ends with the run", () => {
    const log = new EventLog(10);
    log.push(event("a"));
    const response = new FakeResponse();
    streamEvents(response as unknown as ServerResponse, log, options);
    log.push(event("b"));
    assert.equal(response.ended, false);
    log.close();
    assert.equal(response.ended, true);
    assert.equal(
      response.written,
      [1, 2]
        .map(
          (id) =>
            `id: ${id}\nevent: task.queued\ndata: ${JSON.stringify(event(id === 1 ? "a" : "b"))}\n\n`,
        )
        .join(""),
    );
  });

  it("sends a client only events after the id it claims to have seen", () => {
    const log = new EventLog(10);
    const response = new FakeResponse();
    streamEvents(response as unknown as ServerResponse, log, { ...options, lastId: 2 });
    log.push(event("a"));
    log.push(event("b"));
    log.push(event("c"));
    assert.equal(
      response.written,
      `id: 3\nevent: task.queued\ndata: ${JSON.stringify(event("c"))}\n\n`,
    );
  });

  it("cuts off a client that stopped reading, and forgets it", () => {
    const log = new EventLog(10);
    const response = new FakeResponse();
    streamEvents(response as unknown as ServerResponse, log, options);
    response.writableLength = 1001;
    log.push(event("a"));
    assert.equal(response.destroyed, true);
    const before = response.written;
    log.push(event("b"));
    assert.equal(response.written, before, "nothing more is written to it");
  });

  it("sends a keep-alive comment after a quiet spell, and stops once the stream closed", () => {
    const clock = new VirtualClock();
    const log = new EventLog(10);
    const response = new FakeResponse();
    streamEvents(response as unknown as ServerResponse, log, { ...options, clock });
    clock.advance(14_999);
    assert.equal(response.written, "");
    clock.advance(1);
    assert.equal(response.written, ": keep-alive\n\n");
    log.push(event("a"));
    const withEvent: string = response.written;
    clock.advance(14_999);
    assert.equal(response.written, withEvent, "an event resets the wait");
    log.close();
    assert.equal(clock.pending, 0, "no timer outlives the stream");
  });
});
