import { batch, signal } from "@preact/signals";
import type { RunEvent, RunSummary } from "../../core/index.js";
import type { GraphBody, RunInfo, SystemBody } from "../model/api-types.js";
import { foldInterval } from "../model/fold-pace.js";
import { FrameBatch } from "../model/frame-batch.js";
import { runEventTypes, RunFeed } from "../model/run-feed.js";
import { TaskTable } from "../model/task-table.js";
import { errorText, getJson } from "./api.js";
import { apiSource } from "./run-source.js";
import type { RunSource } from "./run-source.js";

/** How the view is connected to the run's event stream. */
export type Connection = "none" | "connecting" | "live" | "reconnecting" | "ended";

/** A sample of the runner's machine. */
export interface SystemSample {
  /** Seconds since the epoch. */
  readonly t: number;
  /** Share of the machine's CPU time busy since the previous sample, 0–1. */
  readonly cpu: number;
  /** Share of memory in use. */
  readonly memory: number;
  readonly rssBytes: number;
}

const systemEveryMs = 2_000;
const keptSamples = 300;

/**
 * One run page's data: the run, its graph, and its tasks, live from the SSE event stream
 * (batched per animation frame) or replayed from its summary once it has ended.
 */
export class RunSession {
  readonly runId: string;
  /** Where the run comes from: the read API, or the report's page. */
  readonly source: RunSource;
  readonly info = signal<RunInfo | undefined>(undefined);
  readonly graph = signal<GraphBody | undefined>(undefined);
  /** Why there is no graph (a run recorded before graphs were). */
  readonly graphMissing = signal<string | undefined>(undefined);
  readonly summary = signal<RunSummary | undefined>(undefined);
  readonly feed = signal(new RunFeed());
  /** Grows with every batch of events folded in: what views subscribe to. */
  readonly version = signal(0);
  readonly connection = signal<Connection>("none");
  readonly error = signal<string | undefined>(undefined);
  readonly system = signal<readonly SystemSample[]>([]);
  readonly #abort = new AbortController();
  readonly #batch = new FrameBatch<RunEvent>(
    (run) => this.#nextFrame(run),
    (events) => this.#fold(events),
  );
  #lastFold = 0;
  /** ms of main thread the last fold took, its frame's drawing included. */
  #foldCost = 0;
  readonly #costProbe = new MessageChannel();
  /** Whether the last fold's cost is still being measured. */
  #measuring = false;
  /** The next batch's fold, held until then. */
  #waiting: (() => void) | undefined;
  #source: EventSource | undefined;
  #systemTimer: ReturnType<typeof setInterval> | undefined;
  #lastArrival = 0;

  constructor(runId: string, source: RunSource = apiSource) {
    this.runId = runId;
    this.source = source;
  }

  /** When the latest batch of events was folded in (performance.now()). */
  get lastFoldMs(): number {
    return this.#lastFold;
  }

  /** ms from the run's start now: the latest event's time plus what passed since it arrived. */
  nowMs(): number {
    const { table } = this.feed.value;
    if (this.connection.value !== "live" || table.runStatus !== undefined) return table.lastMs;
    return table.lastMs + (performance.now() - this.#lastArrival);
  }

  async start(): Promise<void> {
    const base = `/api/v1/runs/${encodeURIComponent(this.runId)}`;
    try {
      const { info, graph, graphMissing } = await this.source.load(this.runId, this.#abort.signal);
      // One render for all of it, not one per signal.
      batch(() => {
        this.info.value = info;
        this.graph.value = graph;
        this.graphMissing.value = graphMissing;
        if (info.summary !== undefined) this.#replay(info.summary);
        else if (info.status === "running" && this.source.kind === "api")
          this.#follow(`${base}/events`, graph);
        else this.feed.value = new RunFeed(new TaskTable(graph?.tasks.map((t) => t.id) ?? []));
      });
    } catch (error) {
      if (!this.#abort.signal.aborted) this.error.value = errorText(error);
    }
  }

  /** Stops everything the session started: the event stream, polling, requests. */
  stop(): void {
    this.#abort.abort();
    this.#source?.close();
    clearInterval(this.#systemTimer);
    // A port with a listener is kept alive, and with it this session: closed, both go.
    this.#costProbe.port1.onmessage = null;
    this.#costProbe.port1.close();
  }

  #replay(summary: RunSummary): void {
    this.summary.value = summary;
    this.feed.value = new RunFeed(TaskTable.fromSummary(summary));
    this.connection.value = "ended";
    this.version.value++;
  }

  #follow(path: string, graph: GraphBody | undefined): void {
    this.feed.value = new RunFeed(new TaskTable(graph?.tasks.map((t) => t.id) ?? []));
    this.connection.value = "connecting";
    const source = new EventSource(path);
    this.#source = source;
    const onEvent = (message: MessageEvent<string>): void => {
      this.#batch.push(JSON.parse(message.data) as RunEvent);
    };
    for (const type of runEventTypes) source.addEventListener(type, onEvent);
    source.addEventListener("gap", (message: MessageEvent<string>) => {
      this.feed.value.gap((JSON.parse(message.data) as { missed: number }).missed);
      this.version.value++;
    });
    source.onopen = () => (this.connection.value = "live");
    source.onerror = () => {
      if (this.connection.value === "ended") return;
      this.connection.value = source.readyState === EventSource.CLOSED ? "none" : "reconnecting";
    };
    this.#pollSystem();
  }

  /**
   * The next animation frame at least {@link foldInterval} after the last batch: each batch
   * redraws thousands of bars, and drawing them 60 times a second under 1,000 events/s kept the
   * main thread busy; 10 times a second is as live to the eye, fewer when drawing a batch is
   * slow (docs/dashboard.md, "Performance").
   */
  #nextFrame(run: () => void): void {
    if (this.#measuring) {
      this.#waiting = run; // scheduled once the last fold's cost is known
      return;
    }
    const wait = this.#lastFold + foldInterval(this.#foldCost) - performance.now();
    if (wait <= 0) requestAnimationFrame(run);
    else setTimeout(() => requestAnimationFrame(run), wait);
  }

  #fold(events: readonly RunEvent[]): void {
    const start = performance.now();
    this.#lastFold = start;
    // What this fold costs the main thread: its script now, then the frame's style, layout and
    // paint, which run before the next task (a message to the page's own channel) does.
    this.#measuring = true;
    this.#costProbe.port1.onmessage = () => {
      this.#foldCost = performance.now() - start;
      this.#measuring = false;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting !== undefined) this.#nextFrame(waiting);
    };
    this.#costProbe.port2.postMessage(null);
    const feed = this.feed.value;
    feed.apply(events);
    this.#lastArrival = performance.now();
    this.version.value++;
    if (feed.table.runStatus !== undefined && this.connection.value !== "ended") this.#ended();
  }

  /** The run has finished: stop listening (the stream would be reopened), fetch its summary. */
  #ended(): void {
    this.connection.value = "ended";
    this.#source?.close();
    clearInterval(this.#systemTimer);
    void this.#fetchSummary(10);
  }

  /** The summary is stored just after the run's last event: asked again a few times until it is. */
  async #fetchSummary(tries: number): Promise<void> {
    const path = `/api/v1/runs/${encodeURIComponent(this.runId)}`;
    for (let i = 0; i < tries && !this.#abort.signal.aborted; i++) {
      try {
        const info = await getJson<RunInfo>(path, this.#abort.signal);
        this.info.value = info;
        if (info.summary !== undefined) {
          this.summary.value = info.summary;
          return;
        }
      } catch {
        // The server may be gone (parex run --dashboard stops with the run): keep what we have.
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 300 * (i + 1)));
    }
  }

  #pollSystem(): void {
    const sample = async (): Promise<void> => {
      try {
        const body = await getJson<SystemBody>("/api/v1/system", this.#abort.signal);
        // The CPU's measured busy share since the last sample; from a server without it, the
        // 1-minute load average per CPU, which lags a short run by a minute.
        const cpu = body.cpuBusy ?? (body.loadAvg[0] ?? 0) / Math.max(1, body.cpus);
        const next: SystemSample = {
          t: Date.now() / 1000,
          cpu: Math.min(1, Math.max(0, cpu)),
          memory: 1 - body.memory.freeBytes / Math.max(1, body.memory.totalBytes),
          rssBytes: body.rssBytes,
        };
        this.system.value = [...this.system.value.slice(1 - keptSamples), next];
      } catch {
        clearInterval(this.#systemTimer);
      }
    };
    void sample();
    this.#systemTimer = setInterval(() => void sample(), systemEveryMs);
  }
}
