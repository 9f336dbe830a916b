/**
 * Option checks that throw in one pattern:
 * Expected `concurrency` to be an integer ≥ 1, got `0` (number)
 */

/** Describes a received value for an error message: `0` (number). */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "function") text = "function";
  else if (typeof value === "object" && value !== null) text = safeJson(value);
  else text = String(value);
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return `\`${text}\` (${type})`;
}

function safeJson(value: object): string {
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws a TypeError unless `value` is an integer ≥ `min` (Infinity allowed when `allowInfinity`). */
export function expectInteger(
  name: string,
  value: unknown,
  options: { min: number; allowInfinity?: boolean },
): asserts value is number {
  const ok =
    typeof value === "number" &&
    value >= options.min &&
    (Number.isInteger(value) || (options.allowInfinity === true && value === Infinity));
  if (!ok) {
    throw new TypeError(
      `Expected \`${name}\` to be an integer ≥ ${options.min}, got ${describeValue(value)}`,
    );
  }
}

/** Throws a TypeError unless `value` is one of `allowed`. */
export function expectOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((v) => `"${v}"`).join(", ");
    throw new TypeError(`Expected \`${name}\` to be one of ${list}, got ${describeValue(value)}`);
  }
}

/** Throws a TypeError unless `value` is a function. */
export function expectFunction(
  name: string,
  value: unknown,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

/**
 * The longest a timer can wait, in ms: 2^31 − 1, about 24.8 days. Node.js fires a longer
 * timeout at once (with a TimeoutOverflowWarning), so every duration parex waits on with a
 * timer is refused above it.
 */
export const maxTimerMs = 2_147_483_647;

/**
 * What a timer-backed duration in ms must be, for an error message; undefined when `value` is
 * one. `allowZero` admits 0 (default false); `noLimit` says how to ask for no limit at all.
 */
export function checkTimerMs(
  value: unknown,
  options: { readonly allowZero?: boolean; readonly noLimit?: string } = {},
): string | undefined {
  const zero = options.allowZero === true;
  if (typeof value !== "number" || !(zero ? value >= 0 : value > 0)) {
    return `a number of ms ${zero ? "≥ 0" : "> 0"}`;
  }
  if (value <= maxTimerMs) return undefined;
  const hint = options.noLimit === undefined ? "" : `; ${options.noLimit}`;
  return `at most ${maxTimerMs} ms (about 24.8 days, the longest a timer can wait${hint})`;
}
