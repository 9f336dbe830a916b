import { describeValue, expectFunction, expectInteger } from "./expect.js";

/** Options of {@link parallelMap}. */
export interface ParallelMapOptions {
  /** Items in flight at once: an integer ≥ 1, or Infinity. Default Infinity. */
  readonly concurrency?: number;
  /** Stops pulling new items; in-flight ones see the abort; rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * true: the first error stops pulling items, aborts the signal given to in-flight calls, and
   * is thrown once they settle. false: every item runs and the errors are thrown together as
   * an AggregateError. Default true.
   */
  readonly stopOnError?: boolean;
}

type Mapper<T, R> = (item: T, index: number, signal: AbortSignal) => PromiseLike<R> | R;

const done = Symbol("done");
type Pull<T> = () =>
  { readonly value: T } | typeof done | Promise<{ readonly value: T } | typeof done>;

/**
 * Maps items through `fn` with at most `concurrency` calls in flight, results in input order.
 * Pull-based: each of at most `concurrency` workers takes the next item when it is free, so
 * nothing is allocated for items still waiting. Accepts arrays, iterables, async iterables and
 * array-likes (as `limit.map` does).
 */
export async function parallelMap<T, R>(
  items: Iterable<T> | AsyncIterable<T> | ArrayLike<T>,
  fn: Mapper<T, R>,
  options: ParallelMapOptions = {},
): Promise<R[]> {
  const { concurrency = Infinity, signal, stopOnError = true } = options;
  expectInteger("concurrency", concurrency, { min: 1, allowInfinity: true });
  expectFunction("fn", fn);
  const source = sourceOf<T>(items);
  signal?.throwIfAborted();
  const stop = new AbortController();
  const forward = (): void => stop.abort(signal?.reason);
  signal?.addEventListener("abort", forward, { once: true });
  const results: R[] = [];
  const errors: unknown[] = [];
  const fail = (error: unknown): void => {
    errors.push(error);
    if (stopOnError) stop.abort(error);
  };
  try {
    await (typeof source === "function"
      ? mapIterable(source, fn, { concurrency, stop: stop.signal, results, fail })
      : mapArray(source, fn, { concurrency, stop: stop.signal, results, fail }));
  } finally {
    signal?.removeEventListener("abort", forward);
  }
  signal?.throwIfAborted();
  if (errors.length === 0) return results;
  throw stopOnError ? errors[0] : new AggregateError(errors, `${errors.length} items failed`);
}

interface Work<R> {
  readonly concurrency: number;
  readonly stop: AbortSignal;
  readonly results: R[];
  readonly fail: (error: unknown) => void;
}

/** The fast path: workers share a cursor into the array; nothing is allocated per item. */
async function mapArray<T, R>(items: ArrayLike<T>, fn: Mapper<T, R>, work: Work<R>): Promise<void> {
  let cursor = 0;
  const { stop, results } = work;
  const worker = async (): Promise<void> => {
    while (!stop.aborted && cursor < items.length) {
      const index = cursor++;
      try {
        results[index] = await fn(items[index] as T, index, stop);
      } catch (error) {
        work.fail(error);
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = Math.min(work.concurrency, items.length); i > 0; i--) workers.push(worker());
  await Promise.all(workers);
}

/** Iterables: a worker is added each time one pulls an item, up to the limit. */
async function mapIterable<T, R>(pull: Pull<T>, fn: Mapper<T, R>, work: Work<R>): Promise<void> {
  let next = 0;
  let exhausted = false;
  const workers: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    while (!work.stop.aborted && !exhausted) {
      const index = next++;
      let item;
      try {
        item = await pull();
      } catch (error) {
        work.fail(error);
        exhausted = true;
        return;
      }
      if (item === done) {
        exhausted = true;
        return;
      }
      if (workers.length < work.concurrency) workers.push(worker());
      try {
        work.results[index] = await fn(item.value, index, work.stop);
      } catch (error) {
        work.fail(error);
      }
    }
  };
  workers.push(worker());
  for (let i = 0; i < workers.length; i++) await workers[i];
}

/** Arrays and array-likes as they are (indexed); iterables as a pull; anything else a TypeError. */
function sourceOf<T>(items: unknown): ArrayLike<T> | Pull<T> {
  if (Array.isArray(items)) return items as T[];
  const object = items as Partial<Iterable<T> & AsyncIterable<T> & ArrayLike<T>> | null | undefined;
  if (typeof object?.[Symbol.iterator] === "function") return pullFrom(object as Iterable<T>);
  if (typeof object?.[Symbol.asyncIterator] === "function") {
    return pullFrom(object as AsyncIterable<T>);
  }
  const length = typeof object === "object" && object !== null ? object.length : undefined;
  if (typeof length === "number" && Number.isSafeInteger(length) && length >= 0) {
    return object as ArrayLike<T>;
  }
  throw new TypeError(
    `Expected \`items\` to be an array, an iterable, an async iterable or an array-like, got ${describeValue(items)}`,
  );
}

function pullFrom<T>(items: Iterable<T> | AsyncIterable<T>): Pull<T> {
  if (Symbol.iterator in Object(items)) {
    const iterator = (items as Iterable<T>)[Symbol.iterator]();
    return () => {
      const step = iterator.next();
      return step.done === true ? done : { value: step.value };
    };
  }
  const iterator = (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  return async () => {
    const step = await iterator.next();
    return step.done === true ? done : { value: step.value };
  };
}
