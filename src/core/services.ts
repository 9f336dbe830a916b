import { followAbort } from "./on-abort.js";
import type { AttemptSpan } from "./outcome.js";

/** How a ready service's attempt ended: stopped by the run, or on its own while still needed. */
export type ServiceEnd = "stopped" | "crashed";

/** A running attempt of a service: where it runs, and how it is stopped. */
interface Running {
  readonly span: Omit<AttemptSpan, "end">;
  readonly controller: AbortController;
  /** Stops its signal following the run's. */
  readonly unfollow: () => void;
}

/** A ready service taken out of its run, still running: its span ends when it became ready. */
export interface Detached {
  readonly task: number;
  readonly span: AttemptSpan;
  readonly controller: AbortController;
}

/**
 * The persistent tasks of one run: each running attempt's own controller, which of them have
 * reported ready, and which the run has asked to stop.
 */
export class Services {
  readonly #running = new Map<number, Running>();
  /** Ready services still running, with the clock time they became ready. */
  readonly #ready = new Map<number, number>();
  readonly #stopping = new Set<number>();

  /** Ready services still running. */
  get readyCount(): number {
    return this.#ready.size;
  }

  /**
   * The signal of service `task`'s attempt on `span`'s slot: aborted with the run's, or when it
   * is stopped. A second call for the same task (its fallback) gets the same signal.
   */
  start(task: number, run: AbortSignal, span: Omit<AttemptSpan, "end">): AbortSignal {
    const current = this.#running.get(task);
    if (current?.span.attempt === span.attempt) return current.controller.signal;
    const controller = new AbortController();
    const unfollow = followAbort(run, controller);
    this.#running.set(task, { span, controller, unfollow });
    return controller.signal;
  }

  /** Marks the running service `task` ready at `time`; false when it is not running or already ready. */
  markReady(task: number, time: number): boolean {
    if (!this.#running.has(task) || this.#ready.has(task)) return false;
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
    this.#running.get(task)?.unfollow();
    this.#running.delete(task);
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
      this.#running
        .get(task)
        ?.controller.abort(new DOMException("The run no longer needs this service", "AbortError"));
    }
  }

  /**
   * Takes every ready service out of the run, still running: its signal no longer follows the
   * run's, and the run forgets it. Those the run has begun to stop are left to stop.
   */
  detachReady(): Detached[] {
    const detached: Detached[] = [];
    for (const [task, readyAt] of this.#ready) {
      const running = this.#running.get(task);
      if (running === undefined || this.#stopping.has(task)) continue;
      running.unfollow();
      this.#running.delete(task);
      this.#ready.delete(task);
      const { span, controller } = running;
      detached.push({ task, span: { ...span, end: readyAt }, controller });
    }
    return detached;
  }
}
