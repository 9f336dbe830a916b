import type { AttemptResult, Executor, ServiceCall } from "../core/index.js";
import { defaultBody, renderBody } from "./render-body.js";

/** One call of one service in one request: the action of an orchestration task. */
export interface ServiceRequest {
  /** The service's name in the config. */
  readonly service: string;
  readonly call: ServiceCall;
  /** The request's `input`, for the body template. */
  readonly input: unknown;
  /** Sent as `x-correlation-id`, so the services' logs line up with parex's. */
  readonly correlationId?: string;
}

/** Options of {@link httpExecutor}. */
export interface HttpExecutorOptions {
  /** Answers larger than this many bytes fail the call. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Same-origin redirects followed before the call fails. Default 3. */
  readonly maxRedirects?: number;
}

/**
 * Calls services with fetch under the attempt's signal (aborted on timeout and cancellation).
 * A 2xx answer is the result (parsed when JSON); anything else fails the attempt as data.
 * Redirects are followed only within the service's own origin: a service cannot send parex to
 * a host the config did not name.
 */
export function httpExecutor(options: HttpExecutorOptions = {}): Executor<ServiceRequest> {
  const limits = { maxBytes: options.maxResponseBytes ?? 1 << 20, hops: options.maxRedirects ?? 3 };
  return {
    async execute(action, context) {
      const { call } = action;
      const method = call.method ?? "GET";
      const scope = { input: action.input, results: context.results };
      const body =
        method === "GET" ? undefined : JSON.stringify(renderBody(call.body ?? defaultBody, scope));
      const headers = {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        accept: "application/json",
        ...(action.correlationId === undefined ? {} : { "x-correlation-id": action.correlationId }),
        ...call.headers,
      };
      try {
        const response = await follow(
          call.url,
          { method, headers, body, signal: context.signal },
          limits.hops,
        );
        if (typeof response === "string") return failure("REDIRECT_BLOCKED", response);
        const text = await readCapped(response, limits.maxBytes);
        if (text === undefined) {
          return failure(
            "RESPONSE_TOO_LARGE",
            `${action.service} answered more than ${limits.maxBytes} bytes`,
          );
        }
        if (!response.ok) {
          return failure(
            `HTTP_${response.status}`,
            `${action.service} answered HTTP ${response.status}`,
          );
        }
        return { ok: true, value: parse(text, response.headers.get("content-type")) };
      } catch (error) {
        if (context.signal.aborted) return { ok: false, reason: "aborted" };
        return failure("FETCH_FAILED", `${action.service} could not be reached: ${why(error)}`);
      }
    },
  };
}

interface Init {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/** The final response, or why a redirect was refused. */
async function follow(url: string, init: Init, hops: number): Promise<Response | string> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const { body, ...rest } = init;
    const request = {
      ...rest,
      ...(body === undefined ? {} : { body }),
      redirect: "manual" as const,
    };
    const response = await fetch(current, request);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== origin) return `redirect to another origin (${next.origin}) refused`;
    if (hop >= hops) return `more than ${hops} redirects`;
    current = next.href;
  }
}

/** The body as text, or undefined when it exceeds `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return "";
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}

function parse(text: string, contentType: string | null): unknown {
  if (contentType?.includes("json") !== true) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, ...). */
function why(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof cause === "string" ? `${error.message} (${cause})` : error.message;
}

function failure(code: string, message: string): AttemptResult {
  return { ok: false, reason: "error", error: { name: "ServiceError", message, code } };
}
