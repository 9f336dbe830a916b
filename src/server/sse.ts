import type { ServerResponse } from "node:http";
import type { Clock } from "../core/index.js";
import type { EventLog, LoggedEvent } from "./event-log.js";

/** Options of {@link streamEvents}. */
export interface StreamOptions {
  /** The last event id the client saw (`Last-Event-ID`); 0 for the whole stream. */
  readonly lastId: number;
  /** A client that has this many bytes unread is disconnected (it can resume). */
  readonly maxBufferedBytes: number;
  readonly correlationId: string;
  /** A comment line is sent after this many quiet ms, so proxies keep the connection open. */
  readonly heartbeatMs: number;
  readonly clock: Clock;
}

/**
 * Streams a run's events as server-sent events: first the kept events after `lastId` (with a
 * `gap` event when some were already dropped), then each new one, and ends when the run has
 * finished. A slow client is cut off rather than buffered without bound; it reconnects with
 * `Last-Event-ID` and continues where it was.
 */
export function streamEvents(
  response: ServerResponse,
  log: EventLog,
  options: StreamOptions,
): void {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-content-type-options": "nosniff",
    "x-correlation-id": options.correlationId,
  });
  const { entries, missed } = log.since(options.lastId);
  if (missed > 0) response.write(gapFrame(missed));
  for (const entry of entries) response.write(frame(entry));
  if (log.closed) {
    response.end();
    return;
  }
  let cancelBeat = (): void => undefined;
  const beat = (): void => {
    cancelBeat = options.clock.setTimer(options.heartbeatMs, () => {
      response.write(": keep-alive\n\n");
      beat();
    });
  };
  const send = (text: string): void => {
    cancelBeat();
    response.write(text);
    if (response.writableLength > options.maxBufferedBytes) response.destroy();
    else beat();
  };
  const unsubscribe = log.subscribe(
    options.lastId,
    (entry) => send(frame(entry)),
    () => response.end(),
  );
  beat();
  response.on("close", () => {
    cancelBeat();
    unsubscribe();
  });
}

/** An event as server-sent events carry it: its id (for `Last-Event-ID`), type and JSON. */
export function frame({ id, event }: LoggedEvent): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The event that tells a client `missed` events were dropped before it could be sent them. */
export function gapFrame(missed: number): string {
  return `event: gap\ndata: ${JSON.stringify({ missed })}\n\n`;
}
