import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildGraph } from "../../src/core/index.js";
import { functionExecutor } from "../../src/exec/index.js";
import { openStore, SqliteStore } from "../../src/store/index.js";
import { journalDir, journalHeader, journalLine } from "../../src/store/journal-file.js";
import type { RecordedEvent } from "../../src/store/journal-file.js";
import { runToEnd, serverFor, token } from "./helpers.js";

const config = "parex.config.json";
const t0 = Date.parse("2026-03-04T05:06:07Z");

/** The journal a `parex run` SIGKILLed while its task `a` ran leaves behind. */
function killedRunJournal(dir: string, runId: string): void {
  const events: RecordedEvent[] = [
    { runId, type: "run.started", time: t0, tasks: ["a"], concurrency: 1, strategy: "all" },
    { runId, type: "task.started", time: t0 + 5, taskId: "a", attempt: 1, slot: 0 },
  ];
  mkdirSync(journalDir(dir), { recursive: true });
  // 999999: a pid no process has, so its runner is dead.
  writeFileSync(
    join(journalDir(dir), `999999.${t0}.jsonl`),
    journalHeader(config) + events.map(journalLine).join(""),
  );
}

/** The history in `dir`, every runner of which has died. */
async function history(dir: string): Promise<SqliteStore> {
  const store = await openStore({
    dir,
    config,
    warn: (message) => assert.fail(message),
    runnerAlive: () => false,
  });
  assert.ok(store instanceof SqliteStore);
  return store;
}

describe("history runs in the HTTP API", () => {
  it("shows a run whose runner died as interrupted, with its end and the run that resumed it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-api-history-"));
    killedRunJournal(dir, "run_killed");
    const store = await history(dir);
    store.markResumed("run_killed", "run_resumer");
    const app = await serverFor(
      {},
      {
        pipelines: {
          graphs: { ci: buildGraph([{ id: "a", run: () => 1 }]) },
          executor: () => functionExecutor,
          history: store,
        },
      },
    );
    const get = async (url: string) =>
      (
        await app.inject({ url, headers: { authorization: `Bearer ${await token()}` } })
      ).json<unknown>();
    try {
      const expected = {
        runId: "run_killed",
        status: "interrupted",
        startedAt: "2026-03-04T05:06:07.000Z",
        finishedAt: "2026-03-04T05:06:07.005Z",
        resumedBy: "run_resumer",
      };
      assert.deepEqual(await get("/api/v1/runs"), { runs: [expected] });
      assert.deepEqual(await get("/api/v1/runs/run_killed"), expected);
    } finally {
      await app.close();
      store.close();
    }
  });

  it("sees a run interrupted after the server opened the history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-api-history-"));
    const store = await history(dir);
    assert.deepEqual(store.recent(5), []);
    killedRunJournal(dir, "run_later"); // a `parex run` killed while the server runs
    assert.deepEqual(
      store.recent(5).map((run) => [run.id, run.status]),
      [["run_later", "interrupted"]],
    );
    store.close();
  });

  it("records a pipeline run's task graph in the history, for the dashboard to draw it later", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parex-api-history-"));
    const store = await history(dir);
    const app = await serverFor(
      {},
      {
        pipelines: {
          graphs: {
            ci: buildGraph([
              { id: "a", run: () => 1, group: "build" },
              { id: "b", run: () => 2, dependsOn: ["a"] },
            ]),
          },
          executor: () => functionExecutor,
          store,
          history: store,
          concurrency: 2,
        },
      },
    );
    try {
      const runId = await runToEnd(app);
      assert.deepEqual(store.graph(runId), {
        concurrency: 2,
        tasks: [
          { id: "a", dependsOn: [], group: "build" },
          { id: "b", dependsOn: ["a"] },
        ],
      });
    } finally {
      await app.close(); // closes the store
    }
  });

  it("has a pipeline run's executor sweep what its tasks left once the run has ended", async () => {
    const calls: string[] = [];
    const app = await serverFor(
      {},
      {
        pipelines: {
          graphs: { ci: buildGraph([{ id: "a", run: () => calls.push("task a") }]) },
          executor: () => ({
            ...functionExecutor,
            sweep: () => {
              calls.push("sweep");
              return Promise.resolve();
            },
          }),
        },
      },
    );
    try {
      await runToEnd(app);
      assert.deepEqual(calls, ["task a", "sweep"]);
    } finally {
      await app.close();
    }
  });
});
