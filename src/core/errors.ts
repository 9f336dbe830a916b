/**
 * Stable codes of every error parex throws for misuse or bad input; listed in docs/errors.md.
 */
export type ErrorCode =
  /** Two tasks share an id. */
  | "DUPLICATE_TASK"
  /** A task depends on an id that no task has. */
  | "UNKNOWN_DEPENDENCY"
  /** Tasks depend on each other in a loop. */
  | "DEPENDENCY_CYCLE"
  /** A task is not a function or spec, or a spec field has a wrong type or value. */
  | "INVALID_TASK"
  /** A task named on the command line does not exist. */
  | "UNKNOWN_TASK"
  /** No config file was found, or the one named does not exist. */
  | "CONFIG_NOT_FOUND"
  /** A config file cannot be parsed or loaded. */
  | "CONFIG_SYNTAX"
  /** A config file did not finish loading within its time limit (PAREX_CONFIG_TIMEOUT_MS). */
  | "CONFIG_TIMEOUT"
  /** A config file parses but says something parex cannot run. */
  | "INVALID_CONFIG"
  /** The Redis of a distributed run or worker does not answer (docs/distributed.md). */
  | "REDIS_UNREACHABLE";

/** What a ParexError may carry besides its message, for programs that handle it. */
export interface ParexErrorOptions {
  readonly cause?: unknown;
  /** DEPENDENCY_CYCLE: the cycle's task ids, its first task repeated last. */
  readonly cycle?: readonly string[];
}

/** An error caused by how parex was called or configured; `code` never changes meaning. */
export class ParexError extends Error {
  /** The stable code of this kind of error. */
  readonly code: ErrorCode;
  /** DEPENDENCY_CYCLE: the cycle's task ids, its first task repeated last: `["build", "test", "build"]`. */
  readonly cycle?: readonly string[];

  constructor(code: ErrorCode, message: string, options: ParexErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "ParexError";
    this.code = code;
    if (options.cycle !== undefined) this.cycle = options.cycle;
  }
}

/** An error as plain JSON, the only form in which errors cross a boundary (events, rows, jobs). */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * Turns anything thrown into an ErrorInfo: an Error's name and message, an object's `name` and
 * `message` when they are strings (else the object as JSON), and a string `code` whenever the
 * thrown value has one (`throw { code: "E_RATE" }` too). Never throws itself.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error !== "object" || error === null) return { name: "Error", message: String(error) };
  try {
    const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
    const info = {
      name: typeof name === "string" ? name : "Error",
      message: typeof message === "string" ? message : asJson(error),
    };
    return typeof code === "string" ? { ...info, code } : info;
  } catch {
    // A getter or a proxy that throws: nothing of the value can be read.
    return { name: "Error", message: "a thrown object that cannot be read" };
  }
}

/** A thrown non-Error object as short JSON, for a message: `{"code":"E_RATE"}`. */
function asJson(value: object): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // Cycles and BigInts: fall through.
  }
  if (json === undefined) return Object.prototype.toString.call(value);
  return json.length > maxJsonLength ? `${json.slice(0, maxJsonLength - 1)}…` : json;
}

/** Long enough for an error-like object; short enough that a thrown response body is not kept whole. */
const maxJsonLength = 200;
