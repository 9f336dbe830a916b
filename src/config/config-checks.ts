import { checkTimerMs, describeValue, taskPath, unknownNameHint } from "../core/index.js";

/** Throws the config error for `path`; `@` in the message becomes "(file, path)". */
export type Fail = (path: string, message: string) => never;

const probeFields = ["port", "host", "url", "log", "timeoutMs"];

/** A probe is one of: { port, host? }, { url }, { log }, each with an optional timeoutMs. */
export function checkProbe(probe: unknown, { id, fail }: { id: string; fail: Fail }): void {
  const bad = (what: string): never =>
    fail(taskPath(id, "ready"), `Task "${id}" has an invalid ready probe @: ${what}.`);
  if (!isRecord(probe))
    return bad(`expected { port }, { url } or { log }, got ${describeValue(probe)}`);
  const kinds = ["port", "url", "log"].filter((kind) => probe[kind] !== undefined);
  if (kinds.length !== 1)
    bad("give exactly one of `port` (a TCP port), `url` (an HTTP URL) or `log` (a regex)");
  for (const key of Object.keys(probe)) {
    if (!probeFields.includes(key))
      fail(
        taskPath(id, "ready", key),
        `Task "${id}" has an invalid ready probe @: unknown field "${key}".${hint(key, probeFields)}`,
      );
  }
  const { port, url, log, timeoutMs, host } = probe;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)
  )
    bad(`\`port\` must be a TCP port number, got ${describeValue(port)}`);
  if (host !== undefined && typeof host !== "string")
    bad(`\`host\` must be a host name, got ${describeValue(host)}`);
  if (url !== undefined && !(typeof url === "string" && /^https?:\/\//.test(url)))
    bad(`\`url\` must be an http:// or https:// URL, got ${describeValue(url)}`);
  if (log !== undefined) {
    try {
      if (typeof log !== "string") throw new Error(`got ${describeValue(log)}`);
      new RegExp(log);
    } catch (error) {
      bad(`\`log\` is not a valid regular expression (${(error as Error).message})`);
    }
  }
  const timeout = timeoutMs === undefined ? undefined : checkTimerMs(timeoutMs);
  if (timeout !== undefined)
    bad(`\`timeoutMs\` must be ${timeout}, got ${describeValue(timeoutMs)}`);
}

const gateFields = ["name", "pattern", "file", "pointer", "min", "max", "level"];

/** A gate reads a number (a regex group of the output, or a JSON pointer into a file) and bounds it. */
export function checkGate(
  gate: unknown,
  { id, index, fail }: { id: string; index: number; fail: Fail },
): void {
  const path = taskPath(id, "gates", index);
  const bad = (what: string): never => fail(path, `Task "${id}" has an invalid gate @: ${what}.`);
  if (!isRecord(gate))
    return bad(`expected an object with name and pattern or file, got ${describeValue(gate)}`);
  for (const key of Object.keys(gate)) {
    if (!gateFields.includes(key))
      fail(
        `${path}.${key}`,
        `Task "${id}" has an invalid gate @: unknown field "${key}".${hint(key, gateFields)}`,
      );
  }
  if (typeof gate["name"] !== "string" || gate["name"] === "")
    bad("`name` must be a non-empty string");
  const { pattern, file, pointer, min, max, level } = gate;
  if ((pattern === undefined) === (file === undefined))
    bad("give either `pattern` (a regex on the output) or `file` (a JSON file)");
  if (pattern !== undefined) {
    try {
      if (typeof pattern !== "string") throw new Error(`got ${describeValue(pattern)}`);
      new RegExp(pattern);
    } catch (error) {
      bad(`\`pattern\` is not a valid regular expression (${(error as Error).message})`);
    }
  }
  if (
    file !== undefined &&
    (typeof file !== "string" || typeof pointer !== "string" || !pointer.startsWith("/"))
  ) {
    bad('`file` needs a path and `pointer` a JSON pointer such as "/total/lines/pct"');
  }
  for (const [key, value] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (value !== undefined && typeof value !== "number")
      bad(`\`${key}\` must be a number, got ${describeValue(value)}`);
  }
  if (min === undefined && max === undefined) bad("give `min`, `max` or both");
  if (level !== undefined && level !== "warn" && level !== "fail")
    bad(`\`level\` must be "warn" or "fail", got ${describeValue(level)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isCommandLine(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  return (
    Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === "string")
  );
}

export function isConcurrency(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value >= 1;
  return typeof value === "string" && /^\d+(\.\d+)?%$/.test(value) && parseFloat(value) > 0;
}

/** The end of an "unknown field" message: the likely typo as a question, else the known fields. */
export function hint(word: string, fields: readonly string[]): string {
  return unknownNameHint(word, fields, { what: "fields", none: "" });
}

/** Fails at `path` unless `ok`, saying what was expected there. */
export type Expect = (path: string, ok: boolean, expected: string, value: unknown) => void;

/** Fails on a key that is not among `known`, suggesting the closest. */
export function unknownKeys(
  record: Record<string, unknown>,
  known: readonly string[],
  path: string,
  fail: Fail,
): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key))
      fail(`${path}.${key}`, `Unknown field "${key}" in ${path} @.${hint(key, known)}`);
  }
}

/** A finite number ≥ 0. */
export const isNonNegative = (v: unknown): boolean =>
  typeof v === "number" && Number.isFinite(v) && v >= 0;

/** A glob that stays inside the task's directory: `../x` or `/x` would match nothing, silently. */
export const isInside = (value: unknown): boolean =>
  typeof value === "string" &&
  value !== "" &&
  !/^!?\//.test(value) &&
  !/(^|\/)\.\.(\/|$)/.test(value);

/** An array of globs inside the task's directory. */
export const isGlobs = (value: unknown): boolean => Array.isArray(value) && value.every(isInside);

/** An environment variable's name. */
export const isVariable = (value: unknown): boolean =>
  typeof value === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
