/**
 * An error the API answers with: an HTTP status and a stable code, sent as
 * `{ error: { code, message }, requestId }`. Messages name what was wrong and the fix; they
 * never carry a stack, a file path or a query.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** The HTTP status. */
  readonly status: number;
  /** The stable code, listed in docs/server.md. */
  readonly code: string;
  /** Extra response headers (e.g. WWW-Authenticate). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
  readonly requestId: string;
}
