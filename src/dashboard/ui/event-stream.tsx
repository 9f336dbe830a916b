import type { JSX } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { EventLog } from "../model/event-log.js";
import { count, duration } from "../model/format.js";

/** The latest events in words, newest at the bottom, kept scrolled to it unless scrolled up. */
export function EventStream(props: {
  readonly log: EventLog;
  readonly version: number;
}): JSX.Element {
  const list = useRef<HTMLOListElement>(null);
  const lines = props.log.lines();
  useLayoutEffect(() => {
    const element = list.current;
    if (element === null) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 60;
    if (nearBottom) element.scrollTop = element.scrollHeight;
  }, [props.version]);
  const dropped = props.log.total - lines.length;
  return (
    <>
      {dropped > 0 && (
        <p class="muted">
          The latest {count(lines.length)} of {count(props.log.total)} events:
        </p>
      )}
      <ol class="events" ref={list} tabIndex={0} aria-label="Event stream" aria-live="off">
        {lines.map((line) => (
          <li key={line.seq} class={line.kind}>
            <time>{duration(Math.max(0, line.ms))}</time> {line.text}
          </li>
        ))}
      </ol>
    </>
  );
}
