import { expectFunction, expectInteger, describeValue } from "./expect.js";
import { Queue } from "./queue.js";

/** Options of {@link limit} and {@link limitFunction}. */
export interface LimitOptions {
  /** Calls allowed to run at once: an integer ≥ 1, or Infinity. */
  readonly concurrency: number;
  /** `clearQueue()` rejects the cleared calls with an AbortError instead of leaving them pending. Default false. */
  readonly rejectOnClear?: boolean;
}

/** A concurrency limiter, call-compatible with p-limit 7. */
export interface Limit {
  /** Runs `fn(...args)` when fewer than `concurrency` calls are active; resolves with its result. */
  <Args extends readonly unknown[], R>(
    fn: (...args: Args) => PromiseLike<R> | R,
    ...args: Args
  ): Promise<R>;
  /** Calls running now. */
  readonly activeCount: number;
  /** Calls waiting for a free slot. */
  readonly pendingCount: number;
  /** The limit; raising it starts waiting calls at once. */
  concurrency: number;
  /** Drops every waiting call (rejecting them with `rejectOnClear`). Running calls go on. */
  clearQueue(): void;
  /** `Promise.all` of `fn(item, index)` for every item, under this limit. */
  map<T, R>(
    iterable: Iterable<T>,
    fn: (item: T, index: number) => PromiseLike<R> | R,
  ): Promise<R[]>;
}

/**
 * Creates a concurrency limiter: a drop-in for p-limit 7. Each waiting call costs one small
 * closure, and calls keep the async context (AsyncLocalStorage) of their caller.
 */
export function limit(options: number | LimitOptions): Limit {
  // Checked at run time too: JavaScript callers pass anything.
  const {
    concurrency: initial,
    rejectOnClear = false,
  }: { concurrency?: unknown; rejectOnClear?: unknown } =
    typeof options === "object" && (options as unknown) !== null
      ? options
      : { concurrency: options };
  expectInteger("concurrency", initial, { min: 1, allowInfinity: true });
  if (typeof rejectOnClear !== "boolean") {
    throw new TypeError(
      `Expected \`rejectOnClear\` to be a boolean, got ${describeValue(rejectOnClear)}`,
    );
  }
  let concurrency = initial;
  let active = 0;
  const resumes = new Queue<() => void>();
  const rejects = rejectOnClear ? new Queue<(error: unknown) => void>() : undefined;

  const drain = (): void => {
    while (active < concurrency && resumes.size > 0) {
      active++;
      rejects?.shift();
      (resumes.shift() as () => void)();
    }
  };

  const run = async <Args extends readonly unknown[], R>(
    fn: (...args: Args) => PromiseLike<R> | R,
    ...args: Args
  ): Promise<R> => {
    if (active < concurrency && resumes.size === 0) {
      active++;
      await Promise.resolve(); // like p-limit, the function starts on a later microtask, never synchronously
    } else {
      const turn = new Promise<void>((resolve, reject) => {
        resumes.push(resolve);
        rejects?.push(reject);
      });
      drain();
      await turn;
    }
    try {
      return await fn(...args);
    } finally {
      active--;
      drain();
    }
  };

  return Object.defineProperties(run, {
    activeCount: { get: () => active },
    pendingCount: { get: () => resumes.size },
    concurrency: {
      get: () => concurrency,
      set(value: unknown) {
        expectInteger("concurrency", value, { min: 1, allowInfinity: true });
        concurrency = value;
        queueMicrotask(drain);
      },
    },
    clearQueue: {
      value() {
        if (rejects === undefined) {
          resumes.clear();
          return;
        }
        const error: unknown = AbortSignal.abort().reason;
        resumes.clear();
        while (rejects.size > 0) rejects.shift()?.(error);
      },
    },
    map: {
      async value<T, R>(iterable: Iterable<T>, fn: (item: T, index: number) => PromiseLike<R> | R) {
        expectFunction("fn", fn);
        const promises: Promise<R>[] = [];
        try {
          for (const item of iterable) promises.push(run(fn, item, promises.length));
        } catch (error) {
          for (const promise of promises) promise.catch(() => undefined);
          throw error;
        }
        return Promise.all(promises);
      },
    },
  }) as unknown as Limit;
}

/** `fn` wrapped so that at most `concurrency` of its calls run at once (p-limit's limitFunction). */
export function limitFunction<Args extends readonly unknown[], R>(
  fn: (...args: Args) => PromiseLike<R> | R,
  options: LimitOptions,
): ((...args: Args) => Promise<R>) & { clearQueue(): void } {
  expectFunction("fn", fn);
  const limited = limit(options);
  const call = (...args: Args): Promise<R> => limited(() => fn(...args));
  return Object.assign(call, { clearQueue: () => limited.clearQueue() });
}
