import { existsSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "../store/index.js";
import type { Io } from "./io.js";
import { historyOptions, openHistory } from "./open-history.js";

/**
 * The history a local dashboard reads, kept current. A project with a history needs nothing:
 * SQLite shows each run committed by another process. A project without one as the dashboard
 * started (before its first run: `parex ui` in a fresh checkout, or `parex run --dashboard`'s
 * own first run) is read as an empty store in memory, which never learns of the
 * `history.db` a run creates later; {@link refresh} opens that file once it appears.
 */
export class DashboardStore {
  #store: SqliteStore;
  readonly #file: string;
  readonly #configFile: string;
  readonly #io: Io;
  /** Whether `#store` is the empty one in memory, read because there was no history.db. */
  #empty: boolean;
  #opening: Promise<void> | undefined;

  /**
   * Opens the history of `configFile`; undefined when it cannot be read (the store warned).
   * Whether history.db exists is asked before it is opened: a run that creates it in between
   * is then found by the first {@link refresh}, not missed.
   */
  static async open(configFile: string, io: Io): Promise<DashboardStore | undefined> {
    const file = join(historyOptions(configFile, io).dir, "history.db");
    const empty = !existsSync(file);
    const store = await openHistory(configFile, io);
    if (store instanceof SqliteStore)
      return new DashboardStore(store, { file, empty, configFile, io });
    await store.close();
    return undefined;
  }

  private constructor(
    store: SqliteStore,
    where: { file: string; empty: boolean; configFile: string; io: Io },
  ) {
    this.#store = store;
    this.#file = where.file;
    this.#empty = where.empty;
    this.#configFile = where.configFile;
    this.#io = where.io;
  }

  /** The store to read now: read it after {@link refresh} has settled. */
  get current(): SqliteStore {
    return this.#store;
  }

  /**
   * Opens history.db in place of the empty store once a run has created it. Cheap enough for
   * every request: one stat while there is no file, nothing once it is open (or could not be).
   */
  refresh(): Promise<void> {
    if (this.#opening === undefined && this.#empty && existsSync(this.#file)) {
      this.#opening = this.#reopen();
    }
    return this.#opening ?? Promise.resolve();
  }

  /** Closes the store it reads. */
  close(): void {
    this.#store.close();
  }

  async #reopen(): Promise<void> {
    const fresh = await openHistory(this.#configFile, this.#io);
    // It could not be opened (the store warned): the dashboard keeps showing the empty one.
    if (!(fresh instanceof SqliteStore)) {
      await fresh.close();
      return;
    }
    const stale = this.#store;
    this.#store = fresh;
    this.#empty = false;
    stale.close();
  }
}
