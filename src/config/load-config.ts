import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { maxTimerMs, ParexError } from "../core/index.js";
import { codeFrame, positionAt } from "./code-frame.js";
import type { Position } from "./code-frame.js";
import { findJsonError } from "./json-syntax.js";
import { moduleSyntaxError } from "./module-syntax.js";

/** Config file names, in the order they are looked for in each directory. */
export const configNames = [
  "parex.config.ts",
  "parex.config.mts",
  "parex.config.js",
  "parex.config.mjs",
  "parex.config.json",
  "parex.config.yaml",
  "parex.config.yml",
] as const;

/** The first config file found in `from` or the directories above it. */
export function findConfig(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of configNames) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** How long a `.ts`/`.js` config may take to load when PAREX_CONFIG_TIMEOUT_MS is not set. */
export const defaultConfigTimeoutMs = 30_000;

/** Options of {@link readConfig}. */
export interface ReadConfigOptions {
  /**
   * How long a `.ts`/`.js` config may take to load and settle, in ms. Default: the environment's
   * PAREX_CONFIG_TIMEOUT_MS, else 30,000.
   */
  readonly timeoutMs?: number;
}

/** Reads and parses a config file into plain data (not yet validated). */
export async function readConfig(file: string, options: ReadConfigOptions = {}): Promise<unknown> {
  if (!existsSync(file)) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `Config file ${file} does not exist. Check the path given to --config.`,
    );
  }
  const name = basename(file);
  if (/\.json$/.test(name)) return parseJson(readText(file), name);
  if (/\.ya?ml$/.test(name)) return parseYaml(readText(file), name);
  if (/\.(ts|mts|js|mjs)$/.test(name)) {
    const timeoutMs = options.timeoutMs ?? configTimeoutMs(process.env);
    return withTimeLimit(importModule(resolve(file), name), name, timeoutMs);
  }
  throw new ParexError(
    "CONFIG_NOT_FOUND",
    `Config file ${name} has an unknown extension. Use .ts, .mts, .js, .mjs, .json, .yaml or .yml.`,
  );
}

/** The file's text, without the byte order mark some Windows editors write first. */
function readText(file: string): string {
  const text = readFileSync(file, "utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** PAREX_CONFIG_TIMEOUT_MS, checked: a whole number of ms from 1 to the longest timer. */
export function configTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const value = env["PAREX_CONFIG_TIMEOUT_MS"]?.trim();
  if (value === undefined || value === "") return defaultConfigTimeoutMs;
  const ms = /^\d+$/.test(value) ? Number(value) : NaN;
  if (ms >= 1 && ms <= maxTimerMs) return ms;
  throw new ParexError(
    "CONFIG_TIMEOUT",
    `PAREX_CONFIG_TIMEOUT_MS must be a whole number of ms from 1 to ${maxTimerMs}, got ${JSON.stringify(value)}. Fix it, or unset it for the default of ${defaultConfigTimeoutMs} ms.`,
  );
}

/**
 * Settles as `loading` does, or rejects once `limitMs` has passed. The timer also keeps the
 * process alive: without it, a config whose promise never settles and holds nothing open ends
 * the process at once with Node's exit code 13 and no message.
 */
async function withTimeLimit<T>(loading: Promise<T>, name: string, limitMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `${name} has not settled within ${limitMs} ms (a top-level await, or the promise its default export gives). Make it settle, or allow longer: PAREX_CONFIG_TIMEOUT_MS=${Math.min(limitMs * 2, maxTimerMs)}.`;
      reject(new ParexError("CONFIG_TIMEOUT", message));
    }, limitMs);
  });
  try {
    return await Promise.race([loading, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A syntax error at its place: the file, line and column, then the line with a caret. */
function syntaxError(what: string, where: { name: string; text: string; at: Position }): string {
  const { line, column } = where.at;
  return `${where.name} (line ${line}, column ${column}): ${what}. Fix the ${kind(where.name)} there:\n${codeFrame(where.text, where.at)}`;
}

function kind(name: string): string {
  if (/\.json$/.test(name)) return "JSON";
  if (/\.ya?ml$/.test(name)) return "YAML";
  return "syntax";
}

/** A JSON text as data; a syntax error names the file, line and column, with the line shown. */
export function parseJson(text: string, name: string): unknown {
  // An empty file is no syntax error: the config check says what it must hold.
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const found = findJsonError(text);
    if (found === undefined) {
      const message = (error as Error).message.replace(/ in JSON at position \d+.*$/, "");
      throw new ParexError("CONFIG_SYNTAX", `Cannot parse ${name}: ${message}. Fix the JSON.`);
    }
    // What is missing at the end is best shown right after the last thing written.
    const at = positionAt(text, Math.min(found.offset, text.trimEnd().length));
    const message = `Cannot parse ${syntaxError(found.message, { name, text, at })}`;
    throw new ParexError("CONFIG_SYNTAX", message);
  }
}

async function parseYaml(text: string, name: string): Promise<unknown> {
  const { parseDocument } = await import("yaml");
  const document = parseDocument(text);
  const [first] = document.errors;
  if (first !== undefined) {
    const what = first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "";
    const at = first.linePos?.[0];
    if (at === undefined) {
      throw new ParexError("CONFIG_SYNTAX", `Cannot parse ${name}: ${what}. Fix the YAML.`);
    }
    const position = { line: at.line, column: at.col };
    const message = `Cannot parse ${syntaxError(what, { name, text, at: position })}`;
    throw new ParexError("CONFIG_SYNTAX", message);
  }
  try {
    return document.toJS() as unknown;
  } catch (error) {
    // An alias to an anchor that does not exist, or one expanded too often (a "billion laughs").
    const message = (error as Error).message.split("\n")[0] ?? "";
    throw new ParexError("CONFIG_SYNTAX", `Cannot parse ${name}: ${message}. Fix the YAML.`);
  }
}

async function importModule(file: string, name: string): Promise<unknown> {
  let value: unknown;
  try {
    if (/\.m?js$/.test(name)) {
      value = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } else {
      const { createJiti } = await import("jiti");
      value = await createJiti(import.meta.url, { moduleCache: false }).import(file, {
        default: true,
      });
    }
    // A config may be computed: `export default async () => ({ ... })` (free ports, temp dirs).
    return typeof value === "function" ? await (value as () => unknown)() : value;
  } catch (error) {
    const located = await moduleSyntaxError(error, file);
    if (located !== undefined) {
      // A module the config imports may be the one that does not parse.
      const importing = located.name === name ? "" : `${name}: `;
      const message = `Cannot load ${importing}${syntaxError(located.message, located)}`;
      throw new ParexError("CONFIG_SYNTAX", message, { cause: error });
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ParexError("CONFIG_SYNTAX", `Cannot load ${name}: ${message}`, { cause: error });
  }
}
