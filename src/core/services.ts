import { followAbort } from "./on-abort.js";

/** How a ready service's attempt ended: stopped by the run, or on its own while still needed. */
export type ServiceEnd = "stopped" | "crashed";

/**
 * The persistent tasks of one run: each running attempt's own controller, which of them have
 * reported ready, and which the run has asked to stop.
 */
export class Services {
  readonly #controllers = new Map<number, AbortController>();
  /** Ready services still running, with the clock time they became ready. */
  readonly #ready = new Map<number, number>();
  readonly #stopping = new Set<number>();

  /** Ready services still running. */
  get readyCount(): number {
    return this.#ready.size;
  }

  /** The signal of an attempt of service `task`: aborted with the run's, or when it is stopped. */
  signalFor(task: number, run: AbortSignal): AbortSignal {
    const own = new AbortController();
    followAbort(run, own);
    this.#controllers.set(task, own);
    return own.signal;
  }

  /** Marks the running service `task` ready at `time`; false when it is not running or already ready. */
  markReady(task: number, time: number): boolean {
    if (!this.#controllers.has(task) || this.#ready.has(task)) return false;
    this.#ready.set(task, time);
    return true;
  }

  /**
   * `task`'s attempt ended: if it was a ready service, how, and when it became ready (its
   * busy time ends there: after that it waits for requests, off the slots).
   */
  ended(
    task: number,
    halted: boolean,
  ): { readonly how: ServiceEnd; readonly readyAt: number } | undefined {
    this.#controllers.delete(task);
    const readyAt = this.#ready.get(task);
    if (readyAt === undefined) return undefined;
    this.#ready.delete(task);
    const stopped = this.#stopping.delete(task) || halted;
    return { how: stopped ? "stopped" : "crashed", readyAt };
  }

  /** Stops every ready service: the run no longer needs them. */
  stopReady(): void {
    for (const task of this.#ready.keys()) {
      if (this.#stopping.has(task)) continue;
      this.#stopping.add(task);
      this.#controllers
        .get(task)
        ?.abort(new DOMException("The run no longer needs this service", "AbortError"));
    }
  }
}
