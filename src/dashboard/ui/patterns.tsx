import type { JSX } from "preact";
import type { LiveStatus } from "../model/task-table.js";

/**
 * The second cue of a status, beside its colour: a texture laid over the bar, so that a failed
 * bar differs from a succeeded one without telling red from green.
 */
export function patternOf(status: LiveStatus): string | undefined {
  switch (status) {
    case "running":
      return "p-stripes";
    case "retrying":
      return "p-dashes";
    case "failed":
      return "p-hatch";
    case "cancelled":
      return "p-cross";
    case "skipped":
    case "queued":
    case "waiting":
      return "p-dots";
    case "succeeded":
      return undefined;
    default:
      return status satisfies never;
  }
}

/** The textures' definitions, once per SVG. */
export function Patterns(): JSX.Element {
  const stroke = { stroke: "var(--pattern)", "stroke-width": 2 };
  return (
    <defs>
      <pattern id="p-stripes" width="8" height="8" patternUnits="userSpaceOnUse">
        <path d="M0 8 L8 0" {...stroke} />
      </pattern>
      <pattern id="p-dashes" width="8" height="8" patternUnits="userSpaceOnUse">
        <path d="M0 4 H4" {...stroke} />
      </pattern>
      <pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse">
        <path d="M0 0 L6 6 M-1 5 L1 7 M5 -1 L7 1" {...stroke} />
      </pattern>
      <pattern id="p-cross" width="6" height="6" patternUnits="userSpaceOnUse">
        <path d="M0 0 L6 6 M6 0 L0 6" {...stroke} />
      </pattern>
      <pattern id="p-dots" width="5" height="5" patternUnits="userSpaceOnUse">
        <circle cx="2.5" cy="2.5" r="1" fill="var(--pattern)" />
      </pattern>
    </defs>
  );
}

/** A legend swatch: the status's colour and texture. */
export function Swatch(props: { readonly status: LiveStatus }): JSX.Element {
  const pattern = patternOf(props.status);
  return (
    <svg width="22" height="12" aria-hidden="true" data-status={props.status}>
      <rect width="22" height="12" rx="2" fill="var(--c)" />
      {pattern && <rect width="22" height="12" fill={`url(#${pattern})`} />}
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
