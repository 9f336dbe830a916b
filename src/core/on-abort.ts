type Callback = () => void;

const callbacks = new WeakMap<AbortSignal, Set<Callback>>();

/**
 * Calls `callback` once when `signal` aborts; returns a function that unsubscribes. Any number
 * of subscribers share one real listener per signal, so hundreds of running attempts on one
 * run's signal neither slow down nor trip Node's listener-leak warning.
 */
export function onAbort(signal: AbortSignal, callback: Callback): () => void {
  let set = callbacks.get(signal);
  if (set === undefined) {
    const subscribers = new Set<Callback>();
    set = subscribers;
    callbacks.set(signal, subscribers);
    signal.addEventListener(
      "abort",
      () => {
        callbacks.delete(signal);
        for (const subscriber of subscribers) subscriber();
      },
      { once: true },
    );
  }
  const subscribers = set;
  subscribers.add(callback);
  return () => {
    subscribers.delete(callback);
  };
}

/**
 * Aborts `controller` with `source`'s reason when `source` aborts — at once if it already has;
 * returns a function that stops following. The way a narrower signal (an attempt's, a
 * request's) also ends with a wider one (its run's, the server's).
 */
export function followAbort(source: AbortSignal, controller: AbortController): () => void {
  const forward = (): void => controller.abort(source.reason);
  if (!source.aborted) return onAbort(source, forward);
  forward();
  return () => undefined;
}
