import { Buffer } from "node:buffer";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { GraphOutline, RunEvent, RunStore } from "../core/index.js";
import { estimatesFile, readLearned, writeLearned } from "./estimates-file.js";
import type { Learned } from "./estimates-file.js";
import {
  graphLine,
  isRecorded,
  journalDir,
  journalHeader,
  journalLine,
  newJournalFile,
  summaryLine,
  writing,
} from "./journal-file.js";
import type { RecordedEvent } from "./journal-file.js";
import { makeParexDir } from "./parex-dir.js";
import { openStore, SqliteStore } from "./sqlite-store.js";
import type { OpenStoreOptions } from "./sqlite-store.js";

/**
 * How long a started attempt's lines may wait to be written. Everything else is written as it
 * happens: a task's end, a run's start and end.
 */
const startsWaitMs = 25;

/**
 * The history of a `parex run` while its tasks run: events appended to a journal file
 * (journal-file.ts), committed to `history.db` when the run ends.
 *
 * Why not SQLite directly: the runner forks a process per task, and on Linux each fork costs more
 * the more memory the runner holds and each page it writes between forks costs a copy-on-write
 * fault. SQLite in the runner (its library, page cache and per-task rows) made 1,000 trivial
 * tasks ~6 % slower; a line per event appended to a file costs a fraction of that
 * (docs/benchmarks.md, "History").
 *
 * What a crash loses: a task's end is written the moment it ends, so a resume never runs a task
 * that succeeded again; an attempt's start and process group are written within `startsWaitMs`.
 */
export class Journal implements RunStore {
  readonly #options: OpenStoreOptions;
  readonly #learned: Learned;
  readonly #file: string;
  /** Each run's summary, as JSON text. */
  readonly #summaries = new Map<string, string>();
  /** Each run's task graph, as JSON text. */
  readonly #graphs = new Map<string, string>();
  /**
   * What the journal holds, kept to commit without reading it back (3.5–4.6 ms per 1,000 tasks,
   * `node bench/probes/journal-costs.mjs`).
   */
  readonly #events: RecordedEvent[] = [];
  #fd: number | undefined;
  #pending = "";
  #timer: NodeJS.Timeout | undefined;
  #broken = false;
  #finished = false;

  constructor(options: OpenStoreOptions, learned: Learned) {
    this.#options = options;
    this.#learned = learned;
    this.#file = newJournalFile(options.dir, Date.now());
  }

  estimates(): ReadonlyMap<string, number> {
    return this.#learned.estimates;
  }

  spreads(): ReadonlyMap<string, number> {
    return this.#learned.spreads;
  }

  readonly listener = (event: RunEvent): void => {
    if (this.#broken || !isRecorded(event)) return;
    this.#pending += journalLine(event);
    this.#events.push(event);
    if (event.type === "task.started" || event.type === "task.process") {
      this.#timer ??= setTimeout(this.#write, startsWaitMs).unref();
      return;
    }
    if (event.type === "run.finished") this.#finished = true;
    this.#write();
  };

  /** Written at once, like the run's start: committed with the run's row. */
  saveGraph(runId: string, graph: GraphOutline): void {
    if (this.#broken) return;
    const json = JSON.stringify(graph);
    this.#graphs.set(runId, json);
    this.#pending += graphLine(runId, json);
    this.#write();
  }

  /** Written at once: a runner killed after its run (sending alerts, say) keeps its summary. */
  saveSummary(runId: string, summary: unknown): void {
    if (this.#broken) return;
    const json = JSON.stringify(summary ?? null); // a line of JSON whatever it is given
    this.#summaries.set(runId, json);
    this.#pending += summaryLine(runId, json);
    this.#write();
  }

  /**
   * Commits the journal, with the run's summary, to `history.db` (along with any journal a dead
   * runner left), then deletes it. When the history cannot be opened (a warning says why) the
   * run is not recorded: its journal is deleted, not left to pile up.
   *
   * A finished run that learned nothing (every task it attempted was restored from the cache)
   * leaves its journal for the next command that opens the history to commit, as it commits a
   * dead runner's: opening SQLite was a tenth of a run of six cache hits (docs/cache.md "Speed").
   * At most {@link maxDeferred} journals wait so.
   */
  async close(): Promise<void> {
    this.#write();
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      this.#fail(error);
    }
    if (
      !this.#broken &&
      this.#learnedNothing() &&
      waitingJournals(this.#options.dir) <= maxDeferred
    ) {
      writing.delete(this.#file);
      return;
    }
    const store = this.#broken ? undefined : await openStore(this.#options);
    writing.delete(this.#file);
    if (!(store instanceof SqliteStore)) {
      try {
        rmSync(this.#file, { force: true });
      } catch {
        // A later command commits what it holds.
      }
      return;
    }
    store.ingest(this.#file, {
      config: this.#options.config,
      events: this.#events,
      summaries: this.#summaries,
      graphs: this.#graphs,
    });
    if (this.#finished) learnedEstimates(store, this.#options);
    store.close();
  }

  readonly #write = (): void => {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending === "" || this.#broken) return;
    let text = this.#pending;
    this.#pending = "";
    try {
      if (this.#fd === undefined) {
        makeParexDir(this.#options.dir);
        mkdirSync(journalDir(this.#options.dir), { recursive: true });
        this.#fd = openSync(this.#file, "a");
        writing.add(this.#file);
        text = journalHeader(this.#options.config) + text;
      }
      writeAll(this.#fd, text);
    } catch (error) {
      this.#fail(error);
    }
  };

  /** Whether the run ended with no task run: each one attempted was a cache hit. */
  #learnedNothing(): boolean {
    return (
      this.#finished &&
      this.#events.every(
        (event) =>
          event.type !== "task.finished" || event.task.attempts === 0 || event.task.cached === true,
      )
    );
  }

  #fail(error: unknown): void {
    this.#broken = true;
    this.#options.warn(`run history disabled: ${(error as Error).message}`);
  }
}

/** How many journals of runs that learned nothing may wait for a later command to commit them. */
const maxDeferred = 8;

/** How many journals are in `dir`'s journal directory (this run's among them). */
function waitingJournals(dir: string): number {
  try {
    return readdirSync(journalDir(dir)).filter((name) => name.endsWith(".jsonl")).length;
  } catch {
    return 0;
  }
}

/** Writes all of `text`: a write to a file may take only part of it (a full disk). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) {
    const written = writeSync(fd, bytes, at);
    if (written === 0) throw new Error(`nothing written to the journal (fd ${fd})`);
    at += written;
  }
}

/**
 * A journal for a run of `options.config`, with its tasks' learned durations. They come from
 * their file; when it is missing and there is a history, from `history.db` (which rewrites it).
 */
export async function openJournal(options: OpenStoreOptions): Promise<Journal> {
  let learned = readLearned(estimatesFile(options.dir, options.config));
  if (learned === undefined && existsSync(join(options.dir, "history.db"))) {
    const store = await openStore(options);
    learned = { estimates: store.estimates(), spreads: store.spreads() };
    if (store instanceof SqliteStore) learnedEstimates(store, options);
    await store.close();
  }
  return new Journal(options, learned ?? { estimates: new Map(), spreads: new Map() });
}

/** Rewrites the estimates file from `store`; history must not break a run, so failing is quiet. */
function learnedEstimates(store: SqliteStore, options: OpenStoreOptions): void {
  try {
    writeLearned(estimatesFile(options.dir, options.config), {
      estimates: store.estimates(),
      spreads: store.spreads(),
    });
  } catch {
    // The next run reads them from history.db instead.
  }
}
