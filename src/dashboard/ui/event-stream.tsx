import type { JSX } from "preact";
import type { EventLog } from "../model/event-log.js";
import { count, duration } from "../model/format.js";

/** Lines shown: enough to follow, few enough to redraw on every batch (each line is laid out anew). */
const shown = 60;

/**
 * The latest events in words, newest first: new lines appear at the top, so following the
 * stream needs no scrolling (reading a scroll height would force a layout of the whole page on
 * every frame).
 */
export function EventStream(props: {
  readonly log: EventLog;
  readonly version: number;
}): JSX.Element {
  const lines = props.log.lines().slice(-shown).reverse();
  return (
    <>
      <p class="muted" style={{ marginTop: 0 }}>
        Newest first
        {props.log.total > lines.length
          ? `: the latest ${count(lines.length)} of ${count(props.log.total)} events`
          : ""}
        .
      </p>
      <ol class="events" tabIndex={0} aria-label="Event stream, newest first">
        {lines.map((line) => (
          <li key={line.seq} class={line.kind}>
            <time>{duration(Math.max(0, line.ms))}</time> {line.text}
          </li>
        ))}
      </ol>
    </>
  );
}
