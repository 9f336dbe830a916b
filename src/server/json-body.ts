import { ApiError } from "./api-error.js";

/**
 * A request body as JSON. Says where a syntax error is, and refuses the keys that could reach
 * an object's prototype once merged into another object (`__proto__`, `constructor.prototype`)
 * by name, rather than calling the body "not valid JSON".
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") {
    throw new ApiError(400, "INVALID_REQUEST", "The body is empty: send a JSON object.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, "INVALID_REQUEST", `The body is not valid JSON: ${why}.`);
  }
  const path = poisonedKey(value, "body");
  if (path !== undefined) {
    const message = `The body has a key ${path}, which is refused: it could change the prototype of every object. Remove it.`;
    throw new ApiError(400, "FORBIDDEN_KEY", message);
  }
  return value;
}

/** The path of the first `__proto__`, or `constructor` holding `prototype`, key in `value`. */
function poisonedKey(value: unknown, path: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (key === "__proto__") return `"__proto__" (at ${at})`;
    if (
      key === "constructor" &&
      typeof child === "object" &&
      child !== null &&
      "prototype" in child
    )
      return `"constructor.prototype" (at ${at}.prototype)`;
    const found = poisonedKey(child, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
