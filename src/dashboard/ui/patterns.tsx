import type { JSX } from "preact";
import { liveStatuses } from "../model/task-table.js";
import type { LiveStatus } from "../model/task-table.js";

/** The id of a status's texture: a pattern laid over its colour (the second cue). */
export const textureOf = (status: LiveStatus): string => `t-${status}`;

/** Each status's pattern over its colour: a failed bar differs from a succeeded one without telling red from green. */
const marks: Readonly<Record<LiveStatus, string | undefined>> = {
  waiting: "M2 2 h1 v1 h-1 z M6 6 h1 v1 h-1 z",
  queued: "M2 2 h1 v1 h-1 z M6 6 h1 v1 h-1 z",
  running: "M0 8 L8 0",
  retrying: "M0 4 H4",
  succeeded: undefined,
  failed: "M0 0 L8 8 M-1 7 L1 9 M7 -1 L9 1",
  skipped: "M2 2 h1 v1 h-1 z M6 6 h1 v1 h-1 z",
  cancelled: "M0 0 L8 8 M8 0 L0 8",
};

/**
 * The textures' definitions, once per page (the Gantt chart draws them; the legend uses them).
 * A succeeded bar has none: patterns cost more to paint, and most bars succeed.
 */
export function Textures(): JSX.Element {
  return (
    <defs>
      {liveStatuses
        .filter((status) => marks[status] !== undefined)
        .map((status) => (
          <pattern
            key={status}
            id={textureOf(status)}
            width="8"
            height="8"
            patternUnits="userSpaceOnUse"
          >
            {marks[status] && <path d={marks[status]} stroke="var(--pattern)" stroke-width="2" />}
          </pattern>
        ))}
    </defs>
  );
}

/** Whether bars in this status have a texture over their colour. */
export const isTextured = (status: LiveStatus): boolean => marks[status] !== undefined;

/** A legend swatch: the status's colour and texture, as its bars have them. */
export function Swatch(props: { readonly status: LiveStatus }): JSX.Element {
  const { status } = props;
  return (
    <svg width="22" height="12" aria-hidden="true">
      <rect class="swatch" data-status={status} width="22" height="12" rx="2" />
      {isTextured(status) && <rect width="22" height="12" fill={`url(#${textureOf(status)})`} />}
    </svg>
  );
}

/** A status's glyph, for SVG text (HTML shows it through CSS). */
export function glyphOf(status: LiveStatus): string {
  switch (status) {
    case "waiting":
      return "○";
    case "queued":
      return "…";
    case "running":
      return "▶";
    case "retrying":
      return "↻";
    case "succeeded":
      return "✓";
    case "failed":
      return "✕";
    case "skipped":
      return "»";
    case "cancelled":
      return "⊘";
    default:
      return status satisfies never;
  }
}
