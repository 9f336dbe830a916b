/** Milliseconds as a short human duration: 850 ms, 1.24 s, 3m 05s. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

/** A ratio as a percentage: 0.973 → "97 %". */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** Lays rows out in left-aligned columns (right-aligned where `right[i]`). */
export function table(
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        right[i] === true ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** Tasks that ended together, for one line: `a, b, c, d, e and 99,995 more`. */
export function someIds(ids: readonly string[], shown = 5): string {
  const head = ids.slice(0, shown).join(", ");
  // Not toLocaleString: loading ICU for it costs ~100 ms, at the end of a stopped run.
  const more = String(ids.length - shown).replace(/\B(?=(\d{3})+$)/g, ",");
  return ids.length > shown ? `${head} and ${more} more` : head;
}
