import { eventSink, runGraph } from "../core/index.js";
import type { Command, Executor, RunResult, Strategy, TaskGraph } from "../core/index.js";
import { loggedExecutor, processExecutor, systemClock } from "../exec/index.js";
import type { Io } from "./io.js";
import type { KeptServices } from "./kept-services.js";

/** How to run the graph once. */
export interface ExecuteOptions {
  readonly runId: string;
  readonly concurrency: number;
  readonly strategy: Strategy;
  readonly killGraceMs: number | undefined;
  readonly logDir: string | undefined;
  readonly estimates: ReadonlyMap<string, number>;
  /** How much each task's duration varies from run to run (see `RunOptions.spreads`). */
  readonly spreads?: ReadonlyMap<string, number>;
  readonly done: ReadonlyMap<string, unknown>;
  readonly listeners: Parameters<typeof runGraph>[1]["listeners"];
  /** The executor the tasks run on, given the process executor (the parts' wrappers). */
  readonly wrap: (executor: Executor<Command>) => Executor<Command>;
  readonly io: Io;
  /** Stops the run as an interruption would (watch mode: a change made it stale). Default none. */
  readonly signal?: AbortSignal;
  /**
   * Where the tasks run instead of this machine's processes: a distributed run's queue. Its
   * `killNow` answers a second Ctrl-C. Default: child processes here.
   */
  readonly remote?: Executor<Command> & { killNow(): void };
  /**
   * A watch session's services kept running: the run takes them as done, shows their output
   * while it runs, and hands them its ready services instead of stopping them. Default none:
   * services stop with the run.
   */
  readonly services?: KeptServices;
}

/**
 * One run of the graph on real processes. The first SIGINT, SIGTERM or SIGHUP stops starting
 * tasks and stops every running process group (SIGTERM, then SIGKILL after the grace period);
 * a second SIGINT kills them at once.
 */
export async function execute(
  graph: TaskGraph<Command>,
  options: ExecuteOptions,
): Promise<{ run: RunResult; interrupted: string | undefined }> {
  const onListenerError = (error: unknown): void =>
    options.io.stderr(`parex: a reporter failed: ${String(error)}\n`);
  // What tasks left behind outside their process groups goes to the run's listeners too
  // (the summary's straysKilled: strays-part.ts).
  const emit = eventSink(options.listeners ?? [], onListenerError);
  const executor = processExecutor({
    ...(options.io.backpressure ? { backpressure: options.io.backpressure } : {}),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
    onLogError: (error) => options.io.stderr(`parex: task logs disabled: ${error.message}\n`),
    runId: options.runId,
    onStrays: (found) => {
      emit?.({ type: "task.strays-killed", runId: options.runId, time: Date.now(), ...found });
    },
  });
  // A remote task's output comes back as text: kept in the run's logs here, as a local one's.
  const remote =
    options.remote === undefined || options.logDir === undefined
      ? options.remote
      : loggedExecutor(options.remote, options.logDir);
  const run = options.wrap(remote ?? executor);
  const controller = new AbortController();
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted === undefined) {
      interrupted = signal;
      options.io.stderr(
        `\nparex: ${signal}: stopping every running task (Ctrl-C again to kill them at once)\n`,
      );
      controller.abort(new Error(`interrupted by ${signal}`));
    } else if (signal === "SIGINT") {
      options.io.stderr("parex: killing every running task now\n");
      (options.remote ?? executor).killNow();
    }
  };
  const stale = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted === true) stale();
  else options.signal?.addEventListener("abort", stale, { once: true });
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);
  const { services } = options;
  // The kept services' output goes to this run's reporters while it runs: a terminal's status
  // area is drawn around it.
  const showAsRun = services?.showThrough((taskId, attempt, stream, chunk) => {
    emit?.({
      type: "task.output",
      runId: options.runId,
      time: Date.now(),
      taskId,
      attempt,
      stream,
      chunk,
    });
  });
  try {
    const ended = await runGraph(graph, {
      executor: run,
      clock: systemClock,
      concurrency: options.concurrency,
      strategy: options.strategy,
      signal: controller.signal,
      runId: options.runId,
      estimates: options.estimates,
      ...(options.spreads === undefined ? {} : { spreads: options.spreads }),
      done:
        services === undefined ? options.done : new Map([...options.done, ...services.asDone()]),
      keepServices: services !== undefined,
      listeners: options.listeners ?? [],
      onListenerError,
    });
    const kept = ended.services ?? [];
    services?.adopt(kept, () => executor.killNow());
    // Processes that left their task's group and gave no sign of it, found by their mark.
    await executor.sweep(kept);
    return { run: ended, interrupted };
  } finally {
    showAsRun?.();
    for (const signal of signals) process.off(signal, onSignal);
    options.signal?.removeEventListener("abort", stale);
  }
}
