import { unreachable } from "../core/index.js";
import type { CacheMeta, LocalCache } from "./local-cache.js";
import type { RemoteCache, RemoteFailure } from "./remote-cache.js";

/** Where a hit came from: this machine's cache, or the remote cache shared by a team and CI. */
export type CacheSource = "local" | "remote";

/** An entry found by {@link CacheStore.get}. */
export interface CacheHit {
  readonly artifact: Buffer;
  /** How long its task ran when it was stored, in ms, when that is known. */
  readonly durationMs?: number;
  readonly source: CacheSource;
}

/** Where the caching executor looks artifacts up and stores them. */
export interface CacheStore {
  /** The entry stored under `key`, or undefined on a miss. */
  get(key: string, taskId: string): Promise<CacheHit | undefined>;
  /** Stores an artifact; rejects only when the local cache cannot be written. */
  put(key: string, artifact: Buffer, meta: CacheMeta): Promise<void>;
}

/** A problem with the remote cache, told to the run once it happens. */
export type RemoteWarning =
  /** The remote cache is not used for the rest of the run. */
  | { readonly kind: "unavailable"; readonly reason: RemoteFailure; readonly problem: string }
  /** One entry's signature did not match: it was treated as a miss, not restored. */
  | { readonly kind: "refused"; readonly taskId: string; readonly problem: string };

/** Options of {@link TieredCache}. */
export interface TieredCacheOptions {
  /** Asked when the local cache misses; stores go there too. Default: local only. */
  readonly remote?: RemoteCache;
  /** Told of remote problems: at most one `unavailable` per cache, one `refused` per entry. */
  readonly warn?: (warning: RemoteWarning) => void;
}

/**
 * The local cache first, then the remote one: a remote hit is written into the local cache, a
 * store goes to both. Uploads run in the background ({@link flush} waits for them). The first
 * time the remote cache fails (down, slow, a refused token) it is said once and not asked
 * again for the rest of the run; requests under way are cancelled.
 */
export class TieredCache implements CacheStore {
  readonly #local: LocalCache;
  readonly #remote: RemoteCache | undefined;
  readonly #warn: (warning: RemoteWarning) => void;
  readonly #off = new AbortController();
  readonly #uploads = new Set<Promise<void>>();

  /** Local and, when given, remote; nothing is touched until the first call. */
  constructor(local: LocalCache, options: TieredCacheOptions = {}) {
    this.#local = local;
    this.#remote = options.remote;
    this.#warn = options.warn ?? (() => undefined);
  }

  /** Whether the remote cache is still asked: there is one, and it has not failed in this run. */
  get remoteInUse(): boolean {
    return this.#remote !== undefined && !this.#off.signal.aborted;
  }

  async get(key: string, taskId: string): Promise<CacheHit | undefined> {
    const artifact = await this.#local.get(key);
    if (artifact !== undefined) {
      const meta = await this.#local.meta(key);
      return { artifact, source: "local", ...(meta && { durationMs: meta.durationMs }) };
    }
    if (this.#remote === undefined || !this.remoteInUse) return undefined;
    const found = await this.#remote.get(key, { signal: this.#off.signal });
    switch (found.status) {
      case "hit": {
        const { artifact: remote, durationMs } = found;
        const meta = { taskId, durationMs: durationMs ?? 0, createdAt: Date.now() };
        // A local cache that cannot be written is said when a task stores; the hit still counts.
        await this.#local.put(key, remote, meta).catch(() => undefined);
        return {
          artifact: remote,
          source: "remote",
          ...(durationMs === undefined ? {} : { durationMs }),
        };
      }
      case "miss":
        return undefined;
      case "refused":
        this.#warn({ kind: "refused", taskId, problem: found.problem });
        return undefined;
      case "unavailable":
        this.#fail(found.reason, found.problem);
        return undefined;
      default:
        return unreachable(found);
    }
  }

  async put(key: string, artifact: Buffer, meta: CacheMeta): Promise<void> {
    if (this.#remote !== undefined && this.remoteInUse)
      this.#upload(this.#remote, key, artifact, meta);
    await this.#local.put(key, artifact, meta);
  }

  /** Settles once every upload started so far has ended (each is bounded by its timeout). */
  async flush(): Promise<void> {
    while (this.#uploads.size > 0) await Promise.all(this.#uploads);
  }

  #upload(remote: RemoteCache, key: string, artifact: Buffer, meta: CacheMeta): void {
    const upload = remote
      .put(key, artifact, { durationMs: meta.durationMs, signal: this.#off.signal })
      .then((done) => {
        if (done.status === "unavailable") this.#fail(done.reason, done.problem);
      })
      .finally(() => this.#uploads.delete(upload));
    this.#uploads.add(upload);
  }

  /** The first failure is said and turns the remote cache off; those it cancels are not said. */
  #fail(reason: RemoteFailure, problem: string): void {
    if (this.#off.signal.aborted) return;
    this.#off.abort();
    this.#warn({ kind: "unavailable", reason, problem });
  }
}
