import type { RunEvent } from "../core/index.js";

/** A run event with its id in the run's stream (1, 2, 3, ...): the SSE `id`. */
export interface LoggedEvent {
  readonly id: number;
  readonly event: RunEvent;
}

/**
 * The recent events of one run, for SSE: a bounded buffer (old events are dropped, never
 * memory without end) and the subscribers that receive new ones. Closed once the run has
 * finished.
 */
export class EventLog {
  readonly #capacity: number;
  readonly #entries: LoggedEvent[] = [];
  readonly #subscribers = new Set<(entry: LoggedEvent) => void>();
  #nextId = 1;
  #closed = false;
  readonly #closers = new Set<() => void>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Whether the run has finished: no event will follow. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Appends an event and hands it to every subscriber. */
  readonly push = (event: RunEvent): void => {
    if (this.#closed) return;
    const entry = { id: this.#nextId++, event };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    for (const subscriber of this.#subscribers) subscriber(entry);
  };

  /** Marks the run finished and tells the subscribers' close handlers. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const closer of this.#closers) closer();
    this.#subscribers.clear();
    this.#closers.clear();
  }

  /** The kept events after `lastId`, and how many after it were already dropped from the buffer. */
  since(lastId: number): { readonly entries: readonly LoggedEvent[]; readonly missed: number } {
    const first = this.#entries[0]?.id ?? this.#nextId;
    const entries = this.#entries.filter((entry) => entry.id > lastId);
    return { entries, missed: Math.max(0, first - lastId - 1) };
  }

  /**
   * Receives each new event after `lastId` (as {@link since} counts: a client that claims to
   * have seen more than exists gets only what comes after its id), and `onClose` when the run
   * finishes; returns the unsubscriber.
   */
  subscribe(
    lastId: number,
    receive: (entry: LoggedEvent) => void,
    onClose: () => void,
  ): () => void {
    const subscriber = (entry: LoggedEvent): void => {
      if (entry.id > lastId) receive(entry);
    };
    this.#subscribers.add(subscriber);
    this.#closers.add(onClose);
    return () => {
      this.#subscribers.delete(subscriber);
      this.#closers.delete(onClose);
    };
  }
}
