import { Buffer } from "node:buffer";
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { GraphOutline, RunEvent, RunStore } from "../core/index.js";
import { estimatesFile, readEstimates, writeEstimates } from "./estimates-file.js";
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
  readonly #estimates: ReadonlyMap<string, number>;
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

  constructor(options: OpenStoreOptions, estimates: ReadonlyMap<string, number>) {
    this.#options = options;
    this.#estimates = estimates;
    this.#file = newJournalFile(options.dir, Date.now());
  }

  estimates(): ReadonlyMap<string, number> {
    return this.#estimates;
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

  #fail(error: unknown): void {
    this.#broken = true;
    this.#options.warn(`run history disabled: ${(error as Error).message}`);
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
  let estimates = readEstimates(estimatesFile(options.dir, options.config));
  if (estimates === undefined && existsSync(join(options.dir, "history.db"))) {
    const store = await openStore(options);
    estimates = new Map(store.estimates());
    if (store instanceof SqliteStore) learnedEstimates(store, options);
    await store.close();
  }
  return new Journal(options, estimates ?? new Map());
}

/** Rewrites the estimates file from `store`; history must not break a run, so failing is quiet. */
function learnedEstimates(store: SqliteStore, options: OpenStoreOptions): void {
  try {
    writeEstimates(estimatesFile(options.dir, options.config), store.estimates());
  } catch {
    // The next run reads them from history.db instead.
  }
}
