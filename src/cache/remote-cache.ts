import { artifactTag, tagMatches } from "./artifact-tag.js";
import type { TagInput } from "./artifact-tag.js";

/** Options of {@link RemoteCache}. */
export interface RemoteCacheOptions {
  /** The API's base URL; artifacts are at `<url>/v8/artifacts/<key>`, as turbo asks for them. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** A team id (`team_…`, sent as `teamId=`) or slug (sent as `slug=`). Default: none sent. */
  readonly team?: string;
  /** Signs uploads and refuses downloads whose `x-artifact-tag` does not match. Default: unsigned. */
  readonly signatureKey?: string;
  /** How long a lookup may wait for the answer's headers, in ms. Default 5000. */
  readonly timeoutMs?: number;
  /** How long an upload, or a download's body, may take, in ms. Default 60000. */
  readonly transferTimeoutMs?: number;
}

/**
 * Why the remote cache could not be used: `unreachable` (no connection), `timeout` (no answer in
 * time), `auth` (401 or 403: the token), `status` (any other unexpected answer).
 */
export type RemoteFailure = "unreachable" | "timeout" | "auth" | "status";

/** What a lookup found. */
export type RemoteLookup =
  /** The artifact, and how long its task ran when the server says so (`x-artifact-duration`). */
  | { readonly status: "hit"; readonly artifact: Buffer; readonly durationMs?: number }
  | { readonly status: "miss" }
  /** Signing is on and the entry's tag is missing or wrong: it must not be restored. */
  | { readonly status: "refused"; readonly problem: string }
  | { readonly status: "unavailable"; readonly reason: RemoteFailure; readonly problem: string };

/** What an upload did. */
export type RemoteUpload =
  | { readonly status: "stored" }
  | { readonly status: "unavailable"; readonly reason: RemoteFailure; readonly problem: string };

/**
 * A client of turbo's remote-cache HTTP API (Vercel's, and servers such as
 * turborepo-remote-cache): `GET` and `PUT /v8/artifacts/:key`. Every answer the server or the
 * network can give is data, never an exception; each request is bounded by a timeout and by the
 * caller's signal.
 */
export class RemoteCache {
  readonly #base: string;
  readonly #options: RemoteCacheOptions;
  readonly #tag: Omit<TagInput, "key"> | undefined;

  /** A client of the server at `options.url`; nothing is sent until the first call. */
  constructor(options: RemoteCacheOptions) {
    this.#options = options;
    this.#base = `${options.url.replace(/\/+$/, "")}/v8/artifacts/`;
    const team = options.team ?? "";
    this.#tag =
      options.signatureKey === undefined
        ? undefined
        : { secret: options.signatureKey, teamId: team.startsWith("team_") ? team : "" };
  }

  /** Where requests go, for messages: the URL's origin and path, never its credentials. */
  get origin(): string {
    const url = new URL(this.#options.url);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }

  /** The artifact stored under `key`; a signed cache refuses one whose tag does not match. */
  async get(key: string, { signal }: { signal?: AbortSignal } = {}): Promise<RemoteLookup> {
    const timeoutMs = this.#options.timeoutMs ?? 5_000;
    const request = bounded(signal);
    try {
      request.limit(timeoutMs, `no answer from ${this.origin} within ${seconds(timeoutMs)}`);
      const response = await fetch(this.#url(key), {
        headers: this.#headers(),
        signal: request.signal,
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return { status: "miss" };
      }
      if (!response.ok) return await this.#unexpected(response);
      const transferMs = this.#options.transferTimeoutMs ?? 60_000;
      request.limit(
        transferMs,
        `${this.origin} did not send an entry within ${seconds(transferMs)}`,
      );
      const artifact = Buffer.from(await response.arrayBuffer());
      const tag = response.headers.get("x-artifact-tag");
      if (this.#tag !== undefined && !tagMatches({ ...this.#tag, key }, artifact, tag)) {
        return {
          status: "refused",
          problem: tag === null ? "it has no signature" : "its signature does not match",
        };
      }
      const duration = Number(response.headers.get("x-artifact-duration") ?? Number.NaN);
      return {
        status: "hit",
        artifact,
        ...(Number.isInteger(duration) && duration >= 0 ? { durationMs: duration } : {}),
      };
    } catch (error) {
      return this.#failure(error, request.signal);
    } finally {
      request.dispose();
    }
  }

  /** Uploads `artifact` under `key`, with how long its task ran, signed when signing is on. */
  async put(
    key: string,
    artifact: Buffer,
    { durationMs, signal }: { durationMs: number; signal?: AbortSignal },
  ): Promise<RemoteUpload> {
    const transferMs = this.#options.transferTimeoutMs ?? 60_000;
    const request = bounded(signal);
    try {
      request.limit(
        transferMs,
        `${this.origin} did not take an entry within ${seconds(transferMs)}`,
      );
      const headers: Record<string, string> = {
        ...this.#headers(),
        "content-type": "application/octet-stream",
        "x-artifact-duration": String(Math.max(0, Math.round(durationMs))),
      };
      if (this.#tag !== undefined)
        headers["x-artifact-tag"] = artifactTag({ ...this.#tag, key }, artifact);
      const response = await fetch(this.#url(key), {
        method: "PUT",
        headers,
        body: artifact,
        signal: request.signal,
      });
      if (!response.ok) return await this.#unexpected(response);
      await response.body?.cancel();
      return { status: "stored" };
    } catch (error) {
      return this.#failure(error, request.signal);
    } finally {
      request.dispose();
    }
  }

  #url(key: string): string {
    const team = this.#options.team;
    const query =
      team === undefined
        ? ""
        : `?${team.startsWith("team_") ? "teamId" : "slug"}=${encodeURIComponent(team)}`;
    return `${this.#base}${encodeURIComponent(key)}${query}`;
  }

  #headers(): Record<string, string> {
    return { authorization: `Bearer ${this.#options.token}` };
  }

  /** An answer other than success or 404, with what the server said about it. */
  async #unexpected(
    response: Response,
  ): Promise<{ status: "unavailable"; reason: RemoteFailure; problem: string }> {
    const said = (await response.text().catch(() => "")).trim().slice(0, 200);
    const reason: RemoteFailure =
      response.status === 401 || response.status === 403 ? "auth" : "status";
    const detail = said === "" ? "" : `: ${said}`;
    return {
      status: "unavailable",
      reason,
      problem: `${this.origin} answered ${response.status} ${response.statusText}${detail}`,
    };
  }

  #failure(
    error: unknown,
    signal: AbortSignal,
  ): { status: "unavailable"; reason: RemoteFailure; problem: string } {
    if (signal.aborted) {
      const why: unknown = signal.reason;
      const timedOut = why instanceof TimeLimit;
      return {
        status: "unavailable",
        reason: timedOut ? "timeout" : "unreachable",
        problem: timedOut ? why.message : `the request to ${this.origin} was cancelled`,
      };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const text = cause instanceof Error ? cause.message : String(cause);
    return {
      status: "unavailable",
      reason: "unreachable",
      problem: `cannot reach ${this.origin} (${text})`,
    };
  }
}

/** The reason a request was aborted when it ran out of time. */
class TimeLimit extends Error {
  override readonly name = "TimeLimit";
}

/** A request's signal: aborted by the caller's, or by the time limit set last. */
function bounded(outer: AbortSignal | undefined): {
  readonly signal: AbortSignal;
  limit(ms: number, message: string): void;
  dispose(): void;
} {
  const controller = new AbortController();
  const signal =
    outer === undefined ? controller.signal : AbortSignal.any([controller.signal, outer]);
  let timer: NodeJS.Timeout | undefined;
  return {
    signal,
    limit(ms, message) {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new TimeLimit(message)), ms);
    },
    dispose: () => clearTimeout(timer),
  };
}

const seconds = (ms: number): string => `${ms / 1000} s`;
