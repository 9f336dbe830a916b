// Run history in SQLite (better-sqlite3, loaded only when history is used).
export { forgetfulStore, migrate, openStore, readStore, SqliteStore } from "./sqlite-store.js";
export { ignoreAll, makeParexDir } from "./parex-dir.js";
export type { OpenStoreOptions, RunRow } from "./sqlite-store.js";
export { Journal, openJournal } from "./journal.js";
export { liveRuns } from "./journal-file.js";
export type { RunnerAlive } from "./journal-file.js";
