// What a run's history costs outside the runner's forks, piece by piece, for 1,000 tasks:
//   npm run build && node bench/probes/journal-costs.mjs [ROUNDS]
// encodes a 1,000-task run's events as journal lines, reads them back, commits them to a fresh
// history.db (SqliteStore.ingest, from memory), turns the learned durations into JSON through
// Object.fromEntries and JSON.stringify (how estimates-file.ts did it first), and writes the
// estimates file as it does now (JSON by hand, then the file). Prints each step's median over
// ROUNDS (default 8) and its first round: a runner does each step once, in a cold process.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimatesFile, readLearned, writeLearned } from "../../dist/store/estimates-file.js";
import { journalLine, readJournal } from "../../dist/store/journal-file.js";
import { openStore } from "../../dist/store/sqlite-store.js";

const rounds = Number(process.argv[2] ?? "8");
const dir = mkdtempSync(join(tmpdir(), "parex-journal-costs-"));
const store = await openStore({ dir, config: "c", warn: console.error, runnerAlive: () => false });
const timings = { encode: [], read: [], commit: [], fromEntries: [], byHand: [] };
const time = (name, work) => {
  const start = performance.now();
  const result = work();
  timings[name].push(performance.now() - start);
  return result;
};

for (let round = 0; round < rounds; round++) {
  const runId = `run_${round}`;
  const ids = Array.from({ length: 1_000 }, (_, i) => `task-${i}`);
  const events = [
    { runId, type: "run.started", time: 0, tasks: ids, concurrency: 2, strategy: "all" },
  ];
  ids.forEach((taskId, i) => {
    events.push({ runId, type: "task.started", time: i, taskId, attempt: 1, slot: i % 2 });
    events.push({ runId, type: "task.process", time: i, taskId, attempt: 1, pid: 1_000 + i });
    const spans = [{ attempt: 1, slot: i % 2, start: i, end: i + 1 }];
    const task = {
      id: taskId,
      status: "succeeded",
      attempts: 1,
      spans,
      fallbackUsed: false,
      optional: false,
      exitCode: 0,
    };
    events.push({ runId, type: "task.finished", time: i + 1, taskId, attempt: 1, task });
  });
  events.push({ runId, type: "run.finished", time: 1_001, status: "succeeded" });
  const file = join(dir, `${process.pid}.${round}.jsonl`);
  writeFileSync(
    file,
    time("encode", () => events.map(journalLine).join("")),
  );
  time("read", () => readJournal(file));
  time("commit", () => store.ingest(file, { config: "c", events, summaries: new Map() }));
  const learned = store.estimates();
  time("fromEntries", () => JSON.stringify(Object.fromEntries(learned)));
  time("byHand", () =>
    writeLearned(estimatesFile(dir, "c"), { estimates: learned, spreads: store.spreads() }),
  );
}
if (readLearned(estimatesFile(dir, "c"))?.estimates.size !== 1_000)
  throw new Error("estimates not written");
store.close();
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const [name, list] of Object.entries(timings)) {
  console.log(
    `${name.padEnd(12)} median ${median(list).toFixed(1)} ms, first ${list[0].toFixed(1)} ms`,
  );
}
