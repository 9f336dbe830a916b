import { analyze, graphOutline, runGraph, summarize } from "../core/index.js";
import type {
  Clock,
  Executor,
  GraphOutline,
  RunListener,
  RunStatus,
  RunStore,
  RunSummary,
  Strategy,
  TaskGraph,
} from "../core/index.js";
import { newRunId } from "../core/index.js";
import { ApiError } from "./api-error.js";
import { EventLog } from "./event-log.js";
import type { Metrics } from "./metrics.js";

/** A run remembered in the history store (`parex run`s, and this server's earlier runs). */
export interface HistoricRun {
  readonly id: string;
  /** Epoch ms. */
  readonly startedAt: number;
  /** `running`, a RunStatus, or `interrupted` (its runner died before the run ended). */
  readonly status: string;
  /** The JSON summary, once the run ended. */
  readonly summary: unknown;
  /** Epoch ms: when it ended; for an interrupted run, the last moment recorded of it. */
  readonly finishedAt?: number | undefined;
  /** The run that resumed it. */
  readonly resumedBy?: string | undefined;
}

/** Read access to the run history: the CLI injects the SQLite store. */
export interface RunHistory {
  /** The most recent runs, newest first; only those whose status is `status` when given. */
  recent(limit: number, status?: string): readonly HistoricRun[];
  /** One run by id (or a unique prefix of it). */
  find(id: string): HistoricRun | undefined;
  /**
   * The task graph recorded as run `runId` (its whole id) started; undefined when none was
   * (recorded by a parex before graphs were kept). Default: none is known.
   */
  graph?(runId: string): GraphOutline | undefined;
  /**
   * A run's graph with where the dashboard draws it, when the CLI keeps that (large graphs:
   * src/cli/graph-layouts.ts). Default: the graph as it is.
   */
  layout?(graph: GraphOutline): GraphOutline;
  /**
   * Brings the history up to date; the dashboard's routes await it before each request (a
   * local dashboard opens a history created after it started). Default: always up to date.
   */
  refresh?(): Promise<void>;
}

/** Configured pipelines and how their tasks run: injected by the CLI, as server/ cannot import exec. */
export interface PipelineOptions {
  /** Each pipeline's validated graph, by name. */
  readonly graphs: Readonly<Record<string, TaskGraph>>;
  /**
   * The executor of one run (a fresh one per run, so a shutdown can stop it); its `sweep`, if it
   * has one, is awaited once the run has ended (the process executor stops what tasks left behind).
   */
  readonly executor: (runId: string) => Executor<unknown> & { sweep?(): Promise<void> };
  /** Slots per run. Default Infinity. */
  readonly concurrency?: number;
  /** Default `"all"`. */
  readonly strategy?: Strategy;
  /** Where runs are remembered. Default: only in memory. */
  readonly store?: RunStore;
  /** Earlier runs, listed after this server's own. Default: none. */
  readonly history?: RunHistory;
  /** Finished runs kept in memory for `GET /api/v1/runs`. Default 100. */
  readonly keep?: number;
  /** Events kept per run for SSE replay. Default 1,000. */
  readonly eventBuffer?: number;
}

/** One run of a pipeline (or a run this server follows), while it runs and after. */
export interface PipelineRun {
  readonly runId: string;
  /** Absent for a run started elsewhere and followed here (`parex run --dashboard`). */
  readonly pipeline: string | undefined;
  readonly startedAt: string;
  /**
   * When it ended: its `run.finished` event's time; for a run that ended without one (its
   * runner or executor broke), when this server saw it end. Absent while it runs.
   */
  finishedAt?: string;
  /** Its task graph, with the estimates it started with. */
  readonly graph: GraphOutline;
  /** `running` until it ends. */
  status: RunStatus | "running";
  /** The JSON summary (docs/cli.md, "The JSON summary"), once it ended. */
  summary?: RunSummary;
  readonly events: EventLog;
  readonly done: Promise<void>;
  readonly cancel: AbortController;
}

/** A run this server follows but does not run: its runner hands it the events and the end. */
export interface FollowedRun {
  /** Hears each event of the run. */
  readonly listener: RunListener;
  /**
   * The run has ended, with this summary (its status with it); without one (the runner failed),
   * it is over all the same. Its event stream ends here, not at `run.finished`: a client that
   * sees the stream end finds the summary.
   */
  readonly end: (summary?: RunSummary) => void;
  /** Replaces the summary with a later one (alerts, the sequential comparison added). */
  readonly update: (summary: RunSummary) => void;
}

type Entry = { -readonly [K in keyof PipelineRun]: PipelineRun[K] };

/** Starts configured pipelines on the engine and keeps their events and summaries. */
export class PipelineRuns {
  readonly #options: PipelineOptions;
  readonly #clock: Clock;
  readonly #metrics: Metrics | undefined;
  readonly #runs = new Map<string, PipelineRun>();
  readonly #maxRunning: number;
  #running = 0;

  /**
   * `maxRunning`: runs at once; one more is refused with 503 OVERLOADED. `metrics`: where runs
   * are counted; undefined on a server that starts none (a local one).
   */
  constructor(
    options: PipelineOptions,
    clock: Clock,
    metrics: Metrics | undefined,
    maxRunning = Infinity,
  ) {
    this.#options = options;
    this.#clock = clock;
    this.#metrics = metrics;
    this.#maxRunning = maxRunning;
  }

  /** The names of the configured pipelines. */
  get names(): string[] {
    return Object.keys(this.#options.graphs);
  }

  /**
   * Starts pipeline `name`; throws ApiError UNKNOWN_PIPELINE (404), and OVERLOADED (503) when
   * `maxRunning` runs are running.
   */
  start(name: string): PipelineRun {
    const graph = Object.hasOwn(this.#options.graphs, name)
      ? this.#options.graphs[name]
      : undefined;
    if (graph === undefined) {
      const known = this.names.map((n) => `"${n}"`).join(", ") || "none";
      throw new ApiError(
        404,
        "UNKNOWN_PIPELINE",
        `No pipeline "${name}" is configured (configured: ${known}).`,
      );
    }
    if (this.#running >= this.#maxRunning) {
      this.#metrics?.shed("runs-full");
      const message = `The server is at capacity: it runs at most ${this.#maxRunning} pipeline runs at once (server.admission.maxPipelineRuns), and all are running. Retry once one has ended.`;
      throw new ApiError(503, "OVERLOADED", message, { "retry-after": "5" });
    }
    const estimates = this.#options.store?.estimates() ?? new Map<string, number>();
    const concurrency = this.#options.concurrency ?? Infinity;
    const outline = graphOutline(graph, { concurrency, estimates });
    const entry = this.#entry(newRunId(this.#clock.now()), name, outline);
    this.#running++;
    entry.done = this.#run(graph, entry, estimates)
      .catch(() => {
        // A broken executor factory or store: the run is over, and says so.
        entry.status = "failed";
        this.#close(entry);
      })
      .finally(() => this.#running--);
    return entry;
  }

  /**
   * Follows run `runId`, run by someone else (the CLI, with `parex run --dashboard`): it is
   * listed, shown and streamed like this server's own, until it ends and after.
   */
  follow(runId: string, graph: GraphOutline): FollowedRun {
    const entry = this.#entry(runId, undefined, graph);
    return {
      listener: this.#recorder(entry),
      end: (summary) => {
        if (summary !== undefined) {
          entry.summary = summary;
          entry.status = summary.status;
        } else if (entry.status === "running") entry.status = "failed";
        this.#close(entry);
      },
      update: (summary) => {
        entry.summary = summary;
      },
    };
  }

  /** The listener that keeps a run's events, and its end's time from `run.finished`. */
  #recorder(entry: Entry): RunListener {
    return (event) => {
      if (event.type === "run.finished") entry.finishedAt = new Date(event.time).toISOString();
      entry.events.push(event);
    };
  }

  /** The run is over: its stream ends, and it has an end's time even without `run.finished`. */
  #close(entry: Entry): void {
    entry.finishedAt ??= new Date(this.#clock.now()).toISOString();
    entry.events.close();
  }

  #entry(runId: string, pipeline: string | undefined, graph: GraphOutline): Entry {
    const entry: Entry = {
      runId,
      pipeline,
      startedAt: new Date(this.#clock.now()).toISOString(),
      graph,
      status: "running",
      events: new EventLog(this.#options.eventBuffer ?? 1000),
      cancel: new AbortController(),
      done: Promise.resolve(),
    };
    this.#runs.set(runId, entry);
    this.#forgetOld();
    return entry;
  }

  /** Runs, newest first; only those whose status is `status` when given. */
  list(status?: string): PipelineRun[] {
    const runs = [...this.#runs.values()].reverse();
    return status === undefined ? runs : runs.filter((run) => run.status === status);
  }

  get(runId: string): PipelineRun | undefined {
    return this.#runs.get(runId);
  }

  /** The run history, when there is one. */
  get history(): RunHistory | undefined {
    return this.#options.history;
  }

  /** Stops every run: at once (`cancel`), or after they finish within `graceMs` (`finish`). */
  async stop(mode: "cancel" | "finish", graceMs: number): Promise<void> {
    const running = [...this.#runs.values()].filter((run) => run.status === "running");
    if (mode === "finish") {
      let cancelTimer: () => void = () => undefined;
      const grace = new Promise<void>(
        (resolve) => (cancelTimer = this.#clock.setTimer(graceMs, resolve)),
      );
      await Promise.race([Promise.all(running.map((run) => run.done)), grace]);
      cancelTimer();
    }
    for (const run of running) run.cancel.abort(new Error("server shutting down"));
    await Promise.all(running.map((run) => run.done));
    await this.#options.store?.close();
  }

  async #run(
    graph: TaskGraph,
    entry: Entry,
    estimates: ReadonlyMap<string, number>,
  ): Promise<void> {
    const store = this.#options.store;
    const executor = this.#options.executor(entry.runId);
    // Once the store has the run's row: it writes a run's start at once.
    const saveGraph: RunListener = (event) => {
      if (event.type === "run.started") store?.saveGraph(entry.runId, entry.graph);
    };
    const result = await runGraph(graph, {
      executor,
      clock: this.#clock,
      runId: entry.runId,
      concurrency: this.#options.concurrency ?? Infinity,
      strategy: this.#options.strategy ?? "all",
      signal: entry.cancel.signal,
      estimates,
      ...(store === undefined ? {} : { spreads: store.spreads() }),
      listeners: [
        this.#recorder(entry),
        ...(this.#metrics ? [this.#metrics.listener("pipeline")] : []),
        ...(store ? [store.listener, saveGraph] : []),
      ],
    });
    await executor.sweep?.();
    entry.summary = summarize(result, analyze(graph, result));
    entry.status = result.status;
    store?.saveSummary(entry.runId, entry.summary);
    this.#close(entry);
  }

  #forgetOld(): void {
    const keep = this.#options.keep ?? 100;
    for (const [id, run] of this.#runs) {
      if (this.#runs.size <= keep) return;
      if (run.status !== "running") this.#runs.delete(id);
    }
  }
}
