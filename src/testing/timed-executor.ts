import { buildGraph, runGraph, VirtualClock } from "../core/index.js";
import type {
  AttemptResult,
  Clock,
  Executor,
  RunEvent,
  RunResult,
  TaskGraph,
  TaskSpec,
} from "../core/index.js";

/**
 * An executor whose attempts take a fixed time on a (virtual) clock: `durations[action]` ms,
 * then success. Stops at once when its signal aborts.
 */
export class TimedExecutor implements Executor<string> {
  readonly #clock: Clock;
  readonly #durations: Readonly<Record<string, number>>;

  constructor(clock: Clock, durations: Readonly<Record<string, number>>) {
    this.#clock = clock;
    this.#durations = durations;
  }

  execute(action: string, context: { readonly signal: AbortSignal }): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const { signal } = context;
      const cancel = this.#clock.setTimer(this.#durations[action] ?? 0, () => {
        signal.removeEventListener("abort", onAbort);
        resolve({ ok: true, value: action });
      });
      const onAbort = (): void => {
        cancel();
        resolve({ ok: false, reason: "aborted" });
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** Advances a virtual clock timer by timer, letting the run react in between, until `done` settles. */
export async function drive<T>(clock: { next(): boolean }, done: Promise<T>): Promise<T> {
  const state = { finished: false };
  void done.then(
    () => (state.finished = true),
    () => (state.finished = true),
  );
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (state.finished || !clock.next()) break;
  }
  return done;
}

/**
 * Runs `specs` on a virtual clock starting at `startAt`, each attempt taking `durations[run]`
 * ms: the graph, every event in order, and the result.
 */
export async function timedRun(
  specs: readonly TaskSpec<string>[],
  durations: Readonly<Record<string, number>>,
  options: { readonly concurrency: number; readonly startAt: number },
): Promise<{ graph: TaskGraph<string>; events: RunEvent[]; run: RunResult }> {
  const clock = new VirtualClock(options.startAt);
  const events: RunEvent[] = [];
  const graph = buildGraph(specs);
  const run = await drive(
    clock,
    runGraph(graph, {
      executor: new TimedExecutor(clock, durations),
      clock,
      concurrency: options.concurrency,
      listeners: [(event) => events.push(event)],
    }),
  );
  return { graph, events, run };
}
