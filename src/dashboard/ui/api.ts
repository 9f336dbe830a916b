// The dashboard's only way to the server: same-origin GETs of the read API, with the session
// cookie (docs/dashboard.md).
import type { ErrorBody } from "../model/api-types.js";

/** An API answer that was not 2xx, with the API's error code and message when it sent them. */
export class ApiFailure extends Error {
  override readonly name = "ApiFailure";
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** What to tell a person whose session is missing or expired. */
export const signedOutMessage =
  "Not signed in, or the session expired: open a new login link (parex serve prints one at start; POST /api/v1/dashboard/login with a token makes one).";

async function failure(response: Response): Promise<ApiFailure> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (body.error !== undefined) {
      return new ApiFailure(response.status, body.error.code, body.error.message);
    }
  } catch {
    // Not the API's JSON error: a proxy's or a plain-text page; its text is the message.
  }
  return new ApiFailure(
    response.status,
    `HTTP_${response.status}`,
    text.slice(0, 300) || response.statusText,
  );
}

async function get(path: string, accept: string, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(path, {
    headers: { accept },
    credentials: "same-origin",
    ...(signal === undefined ? {} : { signal }),
  });
  if (!response.ok) throw await failure(response);
  return response;
}

/** GETs JSON from the API; throws ApiFailure for an error answer. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await get(path, "application/json", signal)).json()) as T;
}

/** GETs text (a task's log); throws ApiFailure for an error answer. */
export async function getText(path: string, signal?: AbortSignal): Promise<string> {
  return (await get(path, "text/plain", signal)).text();
}

/** An error as a line for people: the API's message, or what went wrong on the way. */
export function errorText(error: unknown): string {
  if (error instanceof ApiFailure && error.status === 401) return signedOutMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}
