import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
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
 * Calls services with undici under the attempt's signal (aborted on timeout and cancellation),
 * over keep-alive connections shared by every request. A 2xx answer is the result (parsed when
 * JSON); anything else fails the attempt as data. Redirects are followed only within the
 * service's own origin: a service cannot send parex to a host the config did not name.
 */
export function httpExecutor(options: HttpExecutorOptions = {}): Executor<ServiceRequest> {
  const limits = { maxBytes: options.maxResponseBytes ?? 1 << 20, hops: options.maxRedirects ?? 3 };
  return {
    async execute(action, context) {
      const { call } = action;
      const method = (call.method ?? "GET") as Dispatcher.HttpMethod;
      const scope = { input: action.input, results: context.results };
      const body =
        method === "GET" ? undefined : JSON.stringify(renderBody(call.body ?? defaultBody, scope));
      const headers = {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        accept: "application/json",
        // fetch sent one; some services and gateways refuse a request without it.
        "user-agent": "parex",
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
        const text = await readCapped(response.body, limits.maxBytes);
        if (text === undefined) {
          return failure(
            "RESPONSE_TOO_LARGE",
            `${action.service} answered more than ${limits.maxBytes} bytes`,
          );
        }
        const status = response.statusCode;
        if (status < 200 || status >= 300) {
          return failure(`HTTP_${status}`, `${action.service} answered HTTP ${status}`);
        }
        return { ok: true, value: parse(text, header(response.headers, "content-type")) };
      } catch (error) {
        if (context.signal.aborted) return { ok: false, reason: "aborted" };
        return failure("FETCH_FAILED", `${action.service} could not be reached (${why(error)})`);
      }
    },
  };
}

interface Init {
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * undici, loaded at the first call: the server's index loads this module, and the local
 * dashboard server (`parex run --dashboard`), which calls no service, would wait ~0.1–0.9 s
 * for it.
 */
let undici: typeof import("undici") | undefined;

/** The final response, or why a redirect was refused. */
async function follow(
  url: string,
  init: Init,
  hops: number,
): Promise<Dispatcher.ResponseData | string> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const { body, ...rest } = init;
    undici ??= await import("undici");
    const response = await undici.request(current, {
      ...rest,
      ...(body === undefined ? {} : { body }),
    });
    const location = header(response.headers, "location");
    const status = response.statusCode;
    if (status < 300 || status >= 400 || location === undefined) return response;
    await response.body.dump();
    const next = new URL(location, current);
    if (next.origin !== origin) return `redirect to another origin (${next.origin}) refused`;
    if (hop >= hops) return `more than ${hops} redirects`;
    current = next.href;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as text, or undefined when it exceeds `maxBytes` (the rest is not read). */
async function readCapped(
  body: Dispatcher.ResponseData["body"],
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parse(text: string, contentType: string | undefined): unknown {
  if (contentType?.includes("json") !== true) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Why a call failed, as the error's code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ...): undici's
 * messages name the address, which the service's callers have no business seeing.
 */
function why(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.name : "unknown error";
}

function failure(code: string, message: string): AttemptResult {
  return { ok: false, reason: "error", error: { name: "ServiceError", message, code } };
}
