/**
 * Collects items (events) and hands them over together once per scheduled tick (an animation
 * frame in the browser): 1,000 events a second cost a view ~60 updates, not 1,000. Order is
 * kept; an item pushed while a batch is being handed over goes into the next one.
 */
export class FrameBatch<T> {
  readonly #schedule: (run: () => void) => void;
  readonly #flush: (items: readonly T[]) => void;
  #items: T[] = [];
  #scheduled = false;

  /** `schedule` runs its callback later, once (`requestAnimationFrame`); `flush` gets each batch. */
  constructor(schedule: (run: () => void) => void, flush: (items: readonly T[]) => void) {
    this.#schedule = schedule;
    this.#flush = flush;
  }

  /** Items waiting for the next tick. */
  get pending(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(this.#run);
  }

  readonly #run = (): void => {
    this.#scheduled = false;
    const items = this.#items;
    this.#items = [];
    if (items.length > 0) this.#flush(items);
  };
}
