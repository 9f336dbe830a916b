import type {
  Command,
  Executor,
  RunAnalysis,
  RunListener,
  RunResult,
  RunSummary,
} from "../core/index.js";

/** A run as it ended: what ran, its analysis, and the signal that stopped it, if one did. */
export interface EndedRun {
  readonly run: RunResult;
  readonly analysis: RunAnalysis;
  /** The signal that interrupted the run (SIGINT, SIGTERM, SIGHUP). */
  readonly interrupted: string | undefined;
}

/**
 * One piece of what `parex run` does around running the graph: the reporters, the history,
 * gates, the task cache, a dashboard or a queue of remote workers each come as a part, beside
 * the others, instead of as more lines in the command. Every hook is optional; parts are
 * called in the order they are given.
 */
export interface RunPart {
  /** Hears every event of the run while it runs. */
  readonly listener?: RunListener;
  /** Wraps the executor the tasks run on (the cache looks a task up before running it). */
  readonly wrap?: (executor: Executor<Command>) => Executor<Command>;
  /** Adds what it knows to the summary once the run has ended. */
  readonly conclude?: (summary: RunSummary, ended: EndedRun) => RunSummary;
  /** Hears the summary as it is finally saved: with the alerts raised after the run. */
  readonly settled?: (summary: RunSummary) => void;
  /** Releases what it holds once the run is over and reported, also after an error. */
  readonly close?: () => Promise<void> | void;
}

/** The listeners of the parts that have one. */
export function listenersOf(parts: readonly RunPart[]): RunListener[] {
  return parts.flatMap((part) => (part.listener === undefined ? [] : [part.listener]));
}

/** `executor` wrapped by each part in turn: the first part's wrapper is the innermost. */
export function wrapExecutor(
  executor: Executor<Command>,
  parts: readonly RunPart[],
): Executor<Command> {
  return parts.reduce((inner, part) => part.wrap?.(inner) ?? inner, executor);
}

/** The summary with what each part adds, in order. */
export function concludeWith(
  parts: readonly RunPart[],
  summary: RunSummary,
  ended: EndedRun,
): RunSummary {
  return parts.reduce((current, part) => part.conclude?.(current, ended) ?? current, summary);
}

/** Tells each part the summary as it is finally saved. */
export function settleWith(parts: readonly RunPart[], summary: RunSummary): void {
  for (const part of parts) part.settled?.(summary);
}

/** Closes every part in order, each once, even when one fails; the first failure is thrown. */
export async function closeAll(parts: readonly RunPart[]): Promise<void> {
  let failure: { readonly error: unknown } | undefined;
  for (const part of parts) {
    try {
      await part.close?.();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
