import type { GateResult } from "./summary.js";

/** A quality gate: a number read from a task's output or a JSON file it writes, with bounds. */
export interface GateSpec {
  readonly name: string;
  /** A regular expression whose first group is the number; the last match in the output counts. */
  readonly pattern?: string;
  /** A JSON file (read after the task) and an RFC 6901 pointer to the number in it. */
  readonly file?: string;
  readonly pointer?: string;
  readonly min?: number;
  readonly max?: number;
  /** What a breach is. Default `"fail"`. */
  readonly level?: "warn" | "fail";
}

/** What a gate is checked against: the task's output, or the parsed file. */
export interface GateInput {
  readonly output?: string;
  readonly json?: unknown;
}

/** PASS when the number is within bounds; otherwise WARN or FAIL by the gate's level, missing numbers included. */
export function evaluateGate(gate: GateSpec, input: GateInput): GateResult {
  const level = gate.level ?? "fail";
  const value =
    gate.pattern !== undefined
      ? fromOutput(gate.pattern, input.output)
      : fromJson(gate.pointer, input.json);
  if (value === undefined) {
    const where =
      gate.pattern !== undefined
        ? `no match for /${gate.pattern}/ in the output`
        : `nothing at ${gate.pointer ?? "?"} in ${gate.file ?? "the file"}`;
    return { name: gate.name, status: level, message: `${gate.name}: ${where}` };
  }
  const low = gate.min !== undefined && value < gate.min;
  const high = gate.max !== undefined && value > gate.max;
  if (!low && !high) {
    return {
      name: gate.name,
      status: "pass",
      value,
      message: `${gate.name}: ${value} ${bounds(gate)}`,
    };
  }
  const breach = low ? `< min ${gate.min}` : `> max ${gate.max}`;
  return { name: gate.name, status: level, value, message: `${gate.name}: ${value} ${breach}` };
}

/** The run's duration against a budget. */
export function evaluateBudget(budgetMs: number, makespanMs: number): GateResult {
  const value = Math.round(makespanMs);
  const status = makespanMs <= budgetMs ? "pass" : "fail";
  const relation = status === "pass" ? "within" : "over";
  return {
    name: "duration budget",
    status,
    value,
    message: `run took ${value} ms, ${relation} the ${budgetMs} ms budget`,
  };
}

/** Resolves an RFC 6901 JSON pointer ("/total/lines/pct"); undefined when nothing is there. */
export function resolvePointer(json: unknown, pointer: string): unknown {
  if (pointer === "") return json;
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>(
      (node, key) =>
        typeof node === "object" && node !== null && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      json,
    );
}

function fromOutput(pattern: string, output: string | undefined): number | undefined {
  if (output === undefined) return undefined;
  let last: string | undefined;
  for (const match of output.matchAll(new RegExp(pattern, "g"))) last = match[1] ?? match[0];
  return toNumber(last);
}

function fromJson(pointer: string | undefined, json: unknown): number | undefined {
  return pointer === undefined || json === undefined
    ? undefined
    : toNumber(resolvePointer(json, pointer));
}

function toNumber(value: unknown): number | undefined {
  const number =
    typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function bounds(gate: GateSpec): string {
  if (gate.min !== undefined && gate.max !== undefined) return `within ${gate.min}–${gate.max}`;
  return gate.min !== undefined ? `≥ min ${gate.min}` : `≤ max ${gate.max ?? ""}`;
}
