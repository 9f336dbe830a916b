/** A place in a text, 1-based, as editors count: line, and column in characters. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  let line = 1;
  for (let at = before.indexOf("\n"); at !== -1; at = before.indexOf("\n", at + 1)) line++;
  return { line, column: offset - lineStart + 1 };
}

/** How much of a long line is shown around the column: minified JSON is one long line. */
const before = 60;
const width = 100;

/**
 * The line at `position` with a caret under its column, for the end of an error message:
 *
 *       4 |     "b": {}
 *         |     ^
 *
 * Tabs before the column are kept under it, so the caret lines up in any terminal.
 */
export function codeFrame(text: string, position: Position): string {
  const line = (text.split("\n")[position.line - 1] ?? "").replace(/\r$/, "");
  const column = Math.min(Math.max(position.column, 1), line.length + 1);
  const start = line.length > width ? Math.max(0, column - 1 - before) : 0;
  const end = Math.min(line.length, start + width);
  const shown = `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
  const lead = `${start > 0 ? " " : ""}${line.slice(start, column - 1)}`.replace(/[^\t]/g, " ");
  const number = String(position.line);
  const gutter = " ".repeat(number.length);
  return `  ${number} | ${shown}\n  ${gutter} | ${lead}^`;
}
