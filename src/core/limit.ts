import { expectFunction, expectInteger, describeValue } from "./expect.js";
import { isThenable } from "./is-thenable.js";
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
  /** `Promise.all` of `fn(item, index)` for every item of an iterable or array-like, under this limit. */
  map<T, R>(
    iterable: Iterable<T> | ArrayLike<T>,
    fn: (item: T, index: number) => PromiseLike<R> | R,
  ): Promise<R[]>;
}

type Settle = (value: unknown) => void;
type AnyFunction = (...args: readonly unknown[]) => unknown;

const noArgs: readonly unknown[] = Object.freeze([]);

/**
 * Creates a concurrency limiter: a drop-in for p-limit 7, at about half its memory per
 * waiting call. Each call's promise is resolved with a thenable when its turn comes; the
 * engine then calls that thenable's `then` on a microtask in the caller's async context
 * (AsyncLocalStorage), which is where the function starts. So a waiting call costs its own
 * promise and one small object, and no gate promise or closure.
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
  // Per waiting call, in order: its promise's resolve, its Call, and (with rejectOnClear) its reject.
  const waiting = new Queue<unknown>();
  const stride = rejectOnClear ? 3 : 2;
  let handoff: Call | undefined;

  const resume = (): void => {
    while (active < concurrency && waiting.size > 0) {
      active++;
      const resolve = waiting.shift() as Settle;
      const call = waiting.shift();
      if (rejectOnClear) waiting.shift();
      resolve(call);
    }
  };
  const release = (): void => {
    active--;
    resume();
  };

  class Call {
    readonly #fn: AnyFunction;
    readonly #args: readonly unknown[];

    constructor(fn: AnyFunction, args: readonly unknown[]) {
      this.#fn = fn;
      this.#args = args;
    }

    /** Called by the engine when the call's promise adopts it: the call's turn has come. */
    then(resolve: Settle, reject: Settle): void {
      let result: unknown;
      try {
        result = this.#fn(...this.#args);
      } catch (error) {
        release();
        reject(error);
        return;
      }
      if (!isThenable(result)) {
        release();
        resolve(result);
        return;
      }
      result.then(
        (value) => {
          release();
          resolve(value);
        },
        (error: unknown) => {
          release();
          reject(error);
        },
      );
    }
  }

  const enqueue = (resolve: Settle, reject: Settle): void => {
    waiting.push(resolve);
    waiting.push(handoff);
    if (rejectOnClear) waiting.push(reject);
    handoff = undefined;
    resume();
  };

  function run(fn: AnyFunction, ...args: unknown[]): Promise<unknown> {
    // Rejected, not thrown, as p-limit does; and at once, so it takes no slot.
    if (typeof fn !== "function") return new Promise(() => expectFunction("fn", fn));
    handoff = new Call(fn, args.length === 0 ? noArgs : args);
    return new Promise(enqueue);
  }

  return Object.defineProperties(run, {
    activeCount: { get: () => active },
    pendingCount: { get: () => waiting.size / stride },
    concurrency: {
      get: () => concurrency,
      set(value: unknown) {
        expectInteger("concurrency", value, { min: 1, allowInfinity: true });
        concurrency = value;
        queueMicrotask(resume);
      },
    },
    clearQueue: {
      value() {
        const error: unknown = rejectOnClear ? AbortSignal.abort().reason : undefined;
        while (waiting.size > 0) {
          waiting.shift();
          waiting.shift();
          if (rejectOnClear) (waiting.shift() as Settle)(error);
        }
      },
    },
    map: {
      async value<T, R>(
        iterable: Iterable<T> | ArrayLike<T>,
        fn: (item: T, index: number) => PromiseLike<R> | R,
      ) {
        expectFunction("fn", fn);
        const promises: Promise<unknown>[] = [];
        try {
          // Array.from, as p-limit: iterables and array-likes alike.
          Array.from(iterable, (item, index) => promises.push(run(fn as AnyFunction, item, index)));
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
