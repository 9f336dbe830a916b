import type { Clock } from "../core/index.js";

/** What {@link RerunLoop} is given: time, what a change reaches, and how to run. */
export interface RerunLoopOptions {
  readonly clock: Clock;
  /** Quiet time after the last change before the changes so far are acted on. */
  readonly quietMs: number;
  /** The tasks of the first run (the command line's). */
  readonly everything: readonly string[];
  /**
   * The tasks some changed paths affect, dependents included (none when no task is: that is
   * said), and the paths that count; undefined when none counts (ignored files, outputs:
   * nothing is said).
   */
  readonly affectedOf: (
    paths: readonly string[],
  ) => Promise<
    { readonly tasks: readonly string[]; readonly paths: readonly string[] } | undefined
  >;
  /**
   * One run: of the command line's tasks (`only` undefined), or of `only` and what they need.
   * Stops when `signal` aborts. Never rejects: the caller reports its own failures.
   */
  readonly run: (only: ReadonlySet<string> | undefined, signal: AbortSignal) => Promise<void>;
  /** Says a line on the human channel. */
  readonly say: (line: string) => void;
  /** Shows a changed path in a line (relative to the project). Default: as it is. */
  readonly show?: (path: string) => string;
}

interface Current {
  readonly ids: ReadonlySet<string>;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Watch mode's loop: changes are gathered until `quietMs` pass without one (a burst of saves
 * is one re-run), then mapped to the tasks they affect, which run once the current run (if
 * any) has ended. A change that affects a task of the current run makes that run stale: it is
 * stopped, and its tasks run again with the new ones. One run at a time.
 */
export class RerunLoop {
  readonly #options: RerunLoopOptions;
  readonly #changed = new Set<string>();
  /** Tasks waiting for the next run, and the paths that put them there. */
  readonly #pending = new Set<string>();
  readonly #reasons = new Set<string>();
  #cancelTimer: (() => void) | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #current: Current | undefined;
  #stopped = false;
  #runs = 0;
  #idle: (() => void)[] = [];

  constructor(options: RerunLoopOptions) {
    this.#options = options;
  }

  /** How many runs have started, the first included. */
  get runs(): number {
    return this.#runs;
  }

  /** Starts the first run, of the command line's tasks. */
  start(): void {
    this.#launch(undefined, new Set(this.#options.everything));
  }

  /** A path changed (absolute): acted on after `quietMs` without another change. */
  changed(path: string): void {
    if (this.#stopped) return;
    this.#changed.add(path);
    this.#cancelTimer?.();
    this.#cancelTimer = this.#options.clock.setTimer(this.#options.quietMs, () => {
      this.#cancelTimer = undefined;
      const paths = [...this.#changed];
      this.#changed.clear();
      this.#flushing = this.#flushing
        .then(() => this.#act(paths))
        .catch((error: unknown) => {
          this.#options.say(`parex: watch: cannot map the changes to tasks: ${String(error)}`);
        });
    });
  }

  /** Resolves when no run is going, no change waits and none is being mapped. */
  async settled(): Promise<void> {
    for (;;) {
      await this.#flushing;
      const current = this.#current;
      if (current === undefined && this.#cancelTimer === undefined) return;
      if (current === undefined) await new Promise<void>((resolve) => this.#idle.push(resolve));
      else await current.done;
    }
  }

  /** Stops watching: the current run is stopped and awaited; no run starts after. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#wakeIdle();
    const current = this.#current;
    current?.controller.abort(new Error("watch mode ended"));
    await current?.done;
  }

  async #act(changed: readonly string[]): Promise<void> {
    const found = await this.#options.affectedOf(changed);
    if (this.#stopped) return;
    if (found === undefined) {
      this.#wakeIdle();
      return;
    }
    const { tasks: ids, paths } = found;
    const shown = describe(paths.map(this.#options.show ?? ((path) => path)));
    if (ids.length === 0) {
      this.#options.say(`parex: watch: ${shown} changed: no task affected`);
      this.#wakeIdle();
      return;
    }
    for (const id of ids) this.#pending.add(id);
    for (const path of paths) this.#reasons.add(path);
    const current = this.#current;
    if (current === undefined) {
      this.#launchPending();
      return;
    }
    if (ids.some((id) => current.ids.has(id)) && !current.controller.signal.aborted) {
      this.#options.say(`parex: watch: ${shown} changed: stopping the stale run`);
      current.controller.abort(new Error(`${shown} changed`));
    } else {
      this.#options.say(`parex: watch: ${shown} changed: ${list(ids)} will run after this run`);
    }
  }

  /** Starts a run of the pending tasks, if there are any; whether it did. */
  #launchPending(): boolean {
    if (this.#pending.size === 0 || this.#stopped) return false;
    const ids = new Set(this.#pending);
    const why = describe([...this.#reasons].map(this.#options.show ?? ((path) => path)));
    this.#pending.clear();
    this.#reasons.clear();
    this.#options.say(`parex: watch: re-run: ${list([...ids])} (${why} changed)`);
    this.#launch(ids, ids);
    return true;
  }

  #launch(only: ReadonlySet<string> | undefined, ids: ReadonlySet<string>): void {
    const controller = new AbortController();
    this.#runs++;
    const done = this.#options.run(only, controller.signal).then(() => {
      this.#current = undefined;
      // A stale run's tasks run again with what made it stale (hits, when they are cached).
      if (controller.signal.aborted && !this.#stopped) for (const id of ids) this.#pending.add(id);
      if (!this.#launchPending() && !this.#stopped) {
        this.#options.say("parex: watch: waiting for changes (Ctrl-C to stop)");
        this.#wakeIdle();
      }
    });
    this.#current = { ids, controller, done };
  }

  #wakeIdle(): void {
    for (const wake of this.#idle.splice(0)) wake();
  }
}

const list = (ids: readonly string[]): string =>
  ids.length <= 6 ? ids.join(", ") : `${ids.slice(0, 6).join(", ")} and ${ids.length - 6} more`;

const describe = (paths: readonly string[]): string =>
  paths.length === 1 ? (paths[0] ?? "") : `${paths[0] ?? ""} and ${paths.length - 1} more`;
