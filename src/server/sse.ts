import type { ServerResponse } from "node:http";
import type { EventLog, LoggedEvent } from "./event-log.js";

/** Options of {@link streamEvents}. */
export interface StreamOptions {
  /** The last event id the client saw (`Last-Event-ID`); 0 for the whole stream. */
  readonly lastId: number;
  /** A client that has this many bytes unread is disconnected (it can resume). */
  readonly maxBufferedBytes: number;
  readonly correlationId: string;
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
  if (missed > 0) response.write(`event: gap\ndata: ${JSON.stringify({ missed })}\n\n`);
  for (const entry of entries) response.write(frame(entry));
  if (log.closed) {
    response.end();
    return;
  }
  const unsubscribe = log.subscribe(
    (entry) => {
      response.write(frame(entry));
      if (response.writableLength > options.maxBufferedBytes) response.destroy();
    },
    () => response.end(),
  );
  response.on("close", unsubscribe);
}

function frame({ id, event }: LoggedEvent): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
