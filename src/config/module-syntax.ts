import { readFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import type { Position } from "./code-frame.js";

/** A syntax error in a config module, or in a module it imports, with its place. */
export interface ModuleSyntaxError {
  /** The file, relative to the config's directory. */
  readonly name: string;
  readonly text: string;
  readonly at: Position;
  /** What is wrong, without a full stop. */
  readonly message: string;
}

/**
 * Finds where a config module failed to parse, when `error` is a syntax error. jiti (for
 * `.ts`) reports `ParseError: <what> \n <file>:<line>:<column>`, counting columns from 0 as
 * babel does. Node's import() of a `.js`/`.mjs` says what is wrong but never where, so the
 * same parser is asked to find the place, without running anything.
 */
export async function moduleSyntaxError(
  error: unknown,
  configFile: string,
): Promise<ModuleSyntaxError | undefined> {
  if (!(error instanceof Error)) return undefined;
  const jiti = /^\w+: ([^\n]*?)\s*\n\s*(\S.*):(\d+):(\d+)\s*$/.exec(error.message);
  if (jiti !== null) {
    const [, what = "", file = "", line = "0", column = "0"] = jiti;
    const at = { line: Number(line), column: Number(column) + 1 };
    return located(file, configFile, { at, message: what });
  }
  if (error.name !== "SyntaxError" || !/\.m?js$/.test(configFile)) return undefined;
  const at = await parsePosition(configFile);
  return at === undefined
    ? undefined
    : located(configFile, configFile, { at, message: error.message });
}

function located(
  file: string,
  configFile: string,
  found: { at: Position; message: string },
): ModuleSyntaxError | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const { at } = found;
  // babel says only "Unexpected token": name it, as V8 does.
  const token = text.split("\n")[at.line - 1]?.[at.column - 1];
  const message =
    found.message === "Unexpected token" && token !== undefined
      ? `Unexpected token '${token}'`
      : found.message;
  return { name: relative(dirname(configFile), file), text, at, message };
}

/** Where babel (through jiti) finds a syntax error in `file`; it only parses, never runs. */
async function parsePosition(file: string): Promise<Position | undefined> {
  const { createJiti } = await import("jiti");
  const jiti = createJiti(file, { moduleCache: false, fsCache: false });
  const code = jiti.transform({ source: readFileSync(file, "utf8"), filename: file, async: true });
  const report = /exports\.__JITI_ERROR__ = (\{.*\})/.exec(code)?.[1];
  if (report === undefined) return undefined;
  const { line, column } = JSON.parse(report) as { line?: unknown; column?: unknown };
  if (typeof line !== "number" || typeof column !== "number" || line < 1) return undefined;
  return { line, column: column + 1 };
}
