/**
 * JSON with comments (`//`, `/* *\/`) and trailing commas, as turbo.json and nx.json may be
 * written, turned into strict JSON of the same length: each comment and trailing comma becomes
 * spaces (line breaks kept), so a syntax error left is reported at its line and column.
 */
export function withoutComments(text: string): string {
  const out = text.split("");
  const blank = (from: number, to: number): void => {
    for (let i = from; i < to; i++) if (out[i] !== "\n" && out[i] !== "\r") out[i] = " ";
  };
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      lastComma = -1;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop - 1;
    } else if (c === ",") lastComma = i;
    else if ((c === "}" || c === "]") && lastComma >= 0) {
      blank(lastComma, lastComma + 1);
      lastComma = -1;
    } else if (c !== undefined && !/\s/.test(c)) lastComma = -1;
  }
  return out.join("");
}

/** The index of the quote that closes the string opened at `start` (or the text's last index). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
