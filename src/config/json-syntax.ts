/** Where a text first breaks the JSON grammar, and why. */
export interface SyntaxProblem {
  /** Offset of the offending character in the text. */
  readonly offset: number;
  /** What is wrong there, as a sentence without its full stop. */
  readonly message: string;
}

type Expecting = "value" | "first-element" | "element" | "first-key" | "key" | "colon" | "end";

interface Scan {
  readonly text: string;
  at: number;
  /** The arrays and objects open at `at`, innermost last. */
  readonly open: ("{" | "[")[];
  /** Where the last comma was: a trailing one is reported there. */
  comma: number;
}

/** What the scan expects next, a problem, or "done" at the end of a valid text. */
type Step = Expecting | SyntaxProblem | "done";

/**
 * The first syntax error of `text` read as strict JSON (RFC 8259), or undefined when it is
 * JSON. V8's own messages carry no position for some errors ("Unexpected token 'x', ... is not
 * valid JSON", "Unexpected end of JSON input") and change between Node versions; this reads
 * the text once more, only after JSON.parse failed, to say where. Iterative, so any nesting
 * depth is fine.
 */
export function findJsonError(text: string): SyntaxProblem | undefined {
  const scan: Scan = { text, at: 0, open: [], comma: 0 };
  for (let expecting: Expecting = "value"; ;) {
    skipWhitespace(scan);
    const c = text[scan.at];
    let next: Step;
    if (c === "/") next = { offset: scan.at, message: "Comments are not allowed in JSON" };
    else if (expecting === "colon") next = afterKey(scan, c);
    else if (expecting === "first-key" || expecting === "key") next = key(scan, c, expecting);
    else if (expecting === "end") next = afterValue(scan, c);
    else next = value(scan, c, expecting);
    if (next === "done") return undefined;
    if (typeof next === "object") return next;
    expecting = next;
  }
}

function afterKey(scan: Scan, c: string | undefined): Step {
  if (c !== ":") {
    return { offset: scan.at, message: `Expected ':' after the property name, got ${shown(c)}` };
  }
  scan.at++;
  return "value";
}

function key(scan: Scan, c: string | undefined, expecting: "first-key" | "key"): Step {
  if (c === '"') return readString(scan) ?? "colon";
  if (c !== "}") {
    const message = `Expected a double-quoted property name, got ${shown(c)}`;
    return { offset: scan.at, message };
  }
  if (expecting === "key") {
    return { offset: scan.comma, message: "Trailing comma before '}': remove it" };
  }
  scan.open.pop();
  scan.at++;
  return "end";
}

function afterValue(scan: Scan, c: string | undefined): Step {
  const top = scan.open[scan.open.length - 1];
  if (top === undefined) {
    return c === undefined
      ? "done"
      : { offset: scan.at, message: `Unexpected ${shown(c)} after the JSON value` };
  }
  const close = top === "{" ? "}" : "]";
  if (c === ",") {
    scan.comma = scan.at++;
    return top === "{" ? "key" : "element";
  }
  if (c === close) {
    scan.open.pop();
    scan.at++;
    return "end";
  }
  const after = top === "{" ? "property value" : "array element";
  return {
    offset: scan.at,
    message: `Expected ',' or '${close}' after the ${after}, got ${shown(c)}`,
  };
}

function value(scan: Scan, c: string | undefined, expecting: Expecting): Step {
  if (c === "]" && expecting !== "value") {
    if (expecting === "element") {
      return { offset: scan.comma, message: "Trailing comma before ']': remove it" };
    }
    scan.open.pop();
    scan.at++;
    return "end";
  }
  if (c === "{" || c === "[") {
    scan.open.push(c);
    scan.at++;
    return c === "{" ? "first-key" : "first-element";
  }
  return readScalar(scan) ?? "end";
}

function skipWhitespace(scan: Scan): void {
  for (let c = scan.text[scan.at]; c === " " || c === "\t" || c === "\n" || c === "\r";) {
    c = scan.text[++scan.at];
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const wordPattern = /[A-Za-z_$][\w$]*/y;

/** A string, number, true, false or null at the scan's position. */
function readScalar(scan: Scan): SyntaxProblem | undefined {
  const { text, at } = scan;
  const c = text[at];
  if (c === '"') return readString(scan);
  if (c === undefined)
    return { offset: at, message: "Unexpected end of the file: a value is missing" };
  if (c === "'") return { offset: at, message: "Strings need double quotes in JSON" };
  if (c === "-" || (c >= "0" && c <= "9")) {
    numberPattern.lastIndex = at;
    const number = numberPattern.exec(text)?.[0];
    if (number === undefined) return { offset: at, message: "Bad number" };
    scan.at += number.length;
    return undefined;
  }
  wordPattern.lastIndex = at;
  const word = wordPattern.exec(text)?.[0];
  if (word === "true" || word === "false" || word === "null") {
    scan.at += word.length;
    return undefined;
  }
  const what = word === undefined ? shown(c) : `'${word}'`;
  return {
    offset: at,
    message: `Unexpected ${what}: a value is a "string", a number, true, false, null, an object or an array`,
  };
}

function readString(scan: Scan): SyntaxProblem | undefined {
  const { text } = scan;
  const start = scan.at;
  for (let at = start + 1; at < text.length; at++) {
    const c = text[at] ?? "";
    if (c === '"') {
      scan.at = at + 1;
      return undefined;
    }
    if (c === "\n" || c === "\r") {
      return {
        offset: at,
        message: `A string cannot hold a line break: close it with '"', or write \\n`,
      };
    }
    if (c < " ")
      return { offset: at, message: `Bad control character ${shown(c)} in a string: escape it` };
    if (c === "\\") {
      const next = text[at + 1] ?? "";
      const hex = /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6));
      if (!'"\\/bfnrtu'.includes(next) || next === "" || (next === "u" && !hex)) {
        return { offset: at, message: `Bad escape ${shown(`\\${next}`)} in a string` };
      }
      at += next === "u" ? 5 : 1;
    }
  }
  return { offset: start, message: "Unterminated string: it has no closing '\"'" };
}

/** A character or two for a message: 'x', or U+0009 for what would not show. */
function shown(text: string | undefined): string {
  if (text === undefined || text === "") return "the end of the file";
  const code = text.codePointAt(0) ?? 0;
  if (text.length === 1 && (code < 0x20 || code === 0x7f || code === 0xfeff)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return `'${text}'`;
}
