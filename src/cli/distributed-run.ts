import { availableParallelism } from "node:os";
import type { Command, Executor } from "../core/index.js";
import { openDispatcher, redactedUrl } from "../distributed/index.js";
import { slotsFrom } from "./args.js";
import type { QueueChoice } from "./distributed-options.js";
import type { Io } from "./io.js";
import type { RunPart } from "./run-parts.js";

/** A distributed run's queue, as `parex run --redis` uses it. */
export interface RunQueue {
  /** Where the tasks run: the queue's workers. */
  readonly executor: Executor<Command> & { killNow(): void };
  /** Closes the queue once the run is over. */
  readonly part: RunPart;
  /** The run's slots: `-j` or the config's when given, else every listening worker's. */
  slots(given: string | number | undefined): number;
}

/**
 * Opens the queue for run `runId` and says on stderr who listens: the workers and their
 * slots, or that none does yet (the tasks wait in the queue until one starts).
 */
export async function openQueue(
  choice: QueueChoice,
  options: {
    readonly runId: string;
    readonly projectDir: string;
    readonly workspaces: boolean;
    readonly killGraceMs: number | undefined;
    readonly io: Io;
  },
): Promise<RunQueue> {
  const { io } = options;
  const dispatcher = await openDispatcher({
    redisUrl: choice.url,
    redisFrom: choice.from,
    ...(choice.queue === undefined ? {} : { queue: choice.queue }),
    runId: options.runId,
    projectDir: options.projectDir,
    workspaces: options.workspaces,
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    notice: (text) => io.stderr(`parex: distributed: ${text}\n`),
  });
  const workers = await dispatcher.workers();
  const listening = workers.reduce((sum, worker) => sum + worker.slots, 0);
  const where = `queue ${choice.queue ?? "parex"} on ${redactedUrl(choice.url)}`;
  io.stderr(
    workers.length === 0
      ? `parex: distributed: no worker listens on ${where} yet: the tasks wait until one starts (parex worker --redis URL)\n`
      : `parex: distributed: ${workers.length} worker${workers.length === 1 ? "" : "s"} with ${listening} slot${listening === 1 ? "" : "s"} on ${where}\n`,
  );
  return {
    executor: dispatcher,
    slots: (given) =>
      given !== undefined ? slotsFrom(given) : listening > 0 ? listening : availableParallelism(),
    part: {
      close: () => dispatcher.close(),
    },
  };
}
