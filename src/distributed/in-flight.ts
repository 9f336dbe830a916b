import type { AttemptContext, AttemptResult } from "../core/index.js";
import type { TaskJob } from "./task-job.js";
import type { JobResult, WorkerMessage } from "./wire.js";

/** One attempt enqueued and not yet settled. */
export interface InFlightJob {
  readonly job: TaskJob;
  readonly context: AttemptContext;
  /** Hands the attempt's result to the run. */
  readonly resolve: (result: AttemptResult) => void;
}

interface Entry extends InFlightJob {
  /** The worker that said it took the job. */
  worker?: string;
  /** Output messages heard so far. */
  heard: number;
  /** The result, once known, while the last of its output is still on its way. */
  result?: JobResult;
  late?: NodeJS.Timeout;
}

/**
 * How long a result waits for the output its worker sent before it: the output and the result
 * come over two connections, so the result may arrive first.
 */
const defaultOutputWaitMs = 2_000;

/**
 * The coordinator's attempts in flight, by job id: what workers say of each goes to its
 * context, and its result settles it once every output message the worker sent before it has
 * been heard (or after a wait, 2 s by default: a message lost on a reconnect is not waited for).
 */
export class InFlightJobs {
  readonly #entries = new Map<string, Entry>();
  readonly #outputWaitMs: number;

  /** `outputWaitMs`: how long a result waits for its output. Default 2,000 ms. */
  constructor(outputWaitMs = defaultOutputWaitMs) {
    this.#outputWaitMs = outputWaitMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether job `id` is in flight (not settled yet). */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The ids and jobs in flight. */
  entries(): IterableIterator<[string, InFlightJob]> {
    return this.#entries.entries();
  }

  add(id: string, job: InFlightJob): void {
    this.#entries.set(id, { ...job, heard: 0 });
  }

  /** Passes on what a worker said of a job in flight. */
  heard(message: WorkerMessage): void {
    const entry = this.#entries.get(message.jobId);
    if (entry === undefined) return;
    if (message.type === "started") {
      entry.worker = message.worker;
      entry.context.worker?.(message.worker);
      return;
    }
    if (message.type === "ready") {
      entry.context.ready();
      return;
    }
    if (message.type === "ended") {
      this.settle(message.jobId, message.result);
      return;
    }
    if (message.type === "refused") {
      this.settle(message.jobId, refusedResult(message.reason));
      return;
    }
    entry.heard++;
    entry.context.output(message.stream, message.chunk);
    if (entry.result !== undefined && entry.heard >= (entry.result.chunks ?? 0))
      this.#end(message.jobId, entry, entry.result);
  }

  /** Settles a job with its result, once its output is all there; a second result is ignored. */
  settle(id: string, result: JobResult): void {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.result !== undefined) return;
    if (entry.heard >= (result.chunks ?? 0)) {
      this.#end(id, entry, result);
      return;
    }
    entry.result = result;
    entry.late = setTimeout(() => this.#end(id, entry, result), this.#outputWaitMs);
  }

  #end(id: string, entry: Entry, result: JobResult): void {
    clearTimeout(entry.late);
    this.#entries.delete(id);
    // The "started" message may have been lost (it is not stored): the result says who ran it.
    if (result.worker !== undefined && entry.worker !== result.worker)
      entry.context.worker?.(result.worker);
    entry.resolve(result);
  }
}

/** A job its worker refused or could not run: the reason it gave. */
export function refusedResult(reason: string | undefined): JobResult {
  return {
    ok: false,
    reason: "error",
    error: { name: "WorkerRefused", message: reason ?? "the worker gave no reason" },
  };
}
