import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ParexError } from "../core/index.js";

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

/** Reads and parses a config file into plain data (not yet validated). */
export async function readConfig(file: string): Promise<unknown> {
  if (!existsSync(file)) {
    throw new ParexError(
      "CONFIG_NOT_FOUND",
      `Config file ${file} does not exist. Check the path given to --config.`,
    );
  }
  const name = basename(file);
  if (/\.json$/.test(name)) return parseJson(readFileSync(file, "utf8"), name);
  if (/\.ya?ml$/.test(name)) return parseYaml(readFileSync(file, "utf8"), name);
  if (/\.(ts|mts|js|mjs)$/.test(name)) return importModule(resolve(file), name);
  throw new ParexError(
    "CONFIG_NOT_FOUND",
    `Config file ${name} has an unknown extension. Use .ts, .mts, .js, .mjs, .json, .yaml or .yml.`,
  );
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : "";
    const what = message.replace(/ in JSON at position \d+.*$/, "");
    throw new ParexError(
      "CONFIG_SYNTAX",
      `Cannot parse ${name}${where}: ${what}. Fix the JSON there.`,
    );
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

async function parseYaml(text: string, name: string): Promise<unknown> {
  const { parseDocument } = await import("yaml");
  const document = parseDocument(text);
  const [first] = document.errors;
  if (first !== undefined) {
    const at = first.linePos?.[0];
    const where = at ? ` (line ${at.line}, column ${at.col})` : "";
    const what = first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "";
    throw new ParexError(
      "CONFIG_SYNTAX",
      `Cannot parse ${name}${where}: ${what}. Fix the YAML there.`,
    );
  }
  return document.toJS() as unknown;
}

async function importModule(file: string, name: string): Promise<unknown> {
  try {
    let value: unknown;
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
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ParexError("CONFIG_SYNTAX", `Cannot load ${name}: ${message}`, { cause: error });
  }
}
