import { ParexError } from "./errors.js";
import { checkTimerMs, describeValue } from "./expect.js";
import { location, taskPath } from "./task-spec.js";
import type { TaskSpec } from "./task-spec.js";

type Check = (value: unknown) => string | undefined;

const positive: Check = (v) =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "a finite number > 0";
const integerAtLeastOne: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 1 ? undefined : "an integer ≥ 1";
const timeout: Check = (v) => checkTimerMs(v, { noLimit: "leave it out for no limit" });
const delay: Check = (v) => checkTimerMs(v, { allowZero: true });
/**
 * Every attempt is recorded (an event, a history row, a log file): past a thousand, a retry
 * policy is a loop. At the default 30 s cap, 1,000 attempts already retry for over 8 hours.
 */
const maxAttempts = 1_000;
const attempts: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= maxAttempts
    ? undefined
    : `an integer from 1 to ${maxAttempts}`;
const finite: Check = (v) =>
  typeof v === "number" && Number.isFinite(v) ? undefined : "a finite number";
const fraction: Check = (v) =>
  typeof v === "number" && v >= 0 && v <= 1 ? undefined : "a number from 0 to 1";
const boolean: Check = (v) => (typeof v === "boolean" ? undefined : "true or false");
const name: Check = (v) => (typeof v === "string" && v !== "" ? undefined : "a non-empty string");
const backoff: Check = (v) =>
  v === "exponential" || v === "fixed" ? undefined : `"exponential" or "fixed"`;
const object: Check = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "an object";
const fallback: Check = (v) =>
  object(v) === undefined && ("value" in (v as object) || "run" in (v as object))
    ? undefined
    : "an object with `value` or `run`";

const fields = checks({
  priority: finite,
  slots: integerAtLeastOne,
  mutex: name,
  timeoutMs: timeout,
  optional: boolean,
  persistent: boolean,
  group: name,
  retry: object,
  breaker: object,
  fallback,
});

const retryFields = checks({
  attempts,
  backoff,
  initialDelayMs: delay,
  maxDelayMs: delay,
  factor: positive,
  jitter: fraction,
});

const breakerFields = checks({
  key: name,
  failureThreshold: integerAtLeastOne,
  resetAfterMs: delay,
});

function checks(table: Readonly<Record<string, Check>>): ReadonlyMap<string, Check> {
  return new Map(Object.entries(table));
}

/**
 * Checks the policy fields of a task spec; throws ParexError INVALID_TASK naming the field,
 * its place and what it must be. `source` names the file the spec came from, when there is one.
 */
export function validateTask(spec: TaskSpec, source?: string): void {
  const record = spec as unknown as Record<string, unknown>;
  checkFields(spec.id, [], record, fields, source);
  if (spec.retry !== undefined) {
    const retry = spec.retry as unknown as Record<string, unknown>;
    if (retry["attempts"] === undefined)
      fail(
        spec.id,
        ["retry", "attempts"],
        undefined,
        `an integer from 1 to ${maxAttempts}`,
        source,
      );
    checkFields(spec.id, ["retry"], retry, retryFields, source);
  }
  if (spec.breaker !== undefined) {
    const breaker = spec.breaker as unknown as Record<string, unknown>;
    checkFields(spec.id, ["breaker"], breaker, breakerFields, source);
  }
}

function checkFields(
  id: string,
  prefix: readonly string[],
  record: Record<string, unknown>,
  table: ReadonlyMap<string, Check>,
  source: string | undefined,
): void {
  // Only the keys the spec has: most specs carry an id, an action and dependencies, nothing else.
  for (const field in record) {
    const check = table.get(field);
    const value = record[field];
    if (check === undefined || value === undefined) continue;
    const expected = check(value);
    if (expected !== undefined) fail(id, [...prefix, field], value, expected, source);
  }
}

function fail(
  id: string,
  path: readonly string[],
  value: unknown,
  expected: string,
  source: string | undefined,
): never {
  const where = location(taskPath(id, ...path), source);
  const field = path.join(".");
  throw new ParexError(
    "INVALID_TASK",
    value === undefined
      ? `Task "${id}" is missing ${field} ${where}: expected ${expected}.`
      : `Task "${id}" has an invalid ${field} ${where}: expected ${expected}, got ${describeValue(value)}.`,
  );
}
