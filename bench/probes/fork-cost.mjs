// How a spawn's cost grows with the spawning process's memory (Node forks it on Linux):
//   node bench/probes/fork-cost.mjs MB [sqlite]
// holds MB of extra buffers (and, with `sqlite`, has better-sqlite3 loaded and a database
// open, as `parex run` with history has), then spawns `true` 500 times one after another;
// prints the mean time per spawn and the process's RSS.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mb = Number(process.argv[2] ?? "0");
if (process.argv[3] === "sqlite") {
  const Sqlite = createRequire(import.meta.url)("better-sqlite3");
  const db = new Sqlite(join(mkdtempSync(join(tmpdir(), "parex-fork-cost-")), "history.db"));
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (a TEXT PRIMARY KEY, b REAL) WITHOUT ROWID");
}
const held = Array.from({ length: mb }, () => Buffer.alloc(1 << 20, 1));
const spawns = 500;
const started = performance.now();
for (let i = 0; i < spawns; i++) {
  await new Promise((resolve) => spawn("true").on("exit", resolve));
}
const each = (performance.now() - started) / spawns;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${held.length} MB held: ${each.toFixed(2)} ms per spawn at ${rss.toFixed(0)} MB RSS`);
