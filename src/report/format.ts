export { duration, percent } from "../core/index.js";

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

/** A count of characters for people: 812 characters, 4.0 KB, 19.1 MB (1 KB = 1,024). */
export function size(characters: number): string {
  if (characters < 1024) return `${characters} character${characters === 1 ? "" : "s"}`;
  if (characters < 1024 * 1024) return `${(characters / 1024).toFixed(1)} KB`;
  return `${(characters / 1024 / 1024).toFixed(1)} MB`;
}

/** Text as one line of a terminal: line breaks, escapes and other control characters as `\n`, `\u001b`. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}|[\u2028\u2029]/gu, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
  });
}

/** Text cut to `width` characters, ending in "…" when cut. */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
