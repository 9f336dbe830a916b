import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph, runGraph, VirtualClock } from "../core/index.js";
import { ScriptedExecutor, settle } from "../testing/index.js";
import { KeptServices } from "./kept-services.js";

/**
 * Services `ids` handed over, ready, by a run on scripted tasks, and a session keeping them;
 * `said` holds its lines, `shown` the output it showed between runs.
 */
async function keeping(ids: readonly string[]) {
  const executor = new ScriptedExecutor<string>();
  const specs = ids.map((id) => ({ id, run: id, persistent: true }));
  const done = runGraph(buildGraph(specs), {
    executor,
    clock: new VirtualClock(),
    keepServices: true,
  });
  await settle();
  for (const id of ids) executor.call(id).ready();
  const said: string[] = [];
  const shown: string[] = [];
  const kept = new KeptServices({
    say: (line) => said.push(line),
    show: (taskId, attempt, stream, chunk) => shown.push(`${taskId}#${attempt} ${stream}:${chunk}`),
  });
  let killed = 0;
  kept.adopt((await done).services ?? [], () => killed++);
  return { executor, kept, said, shown, killed: () => killed };
}

describe("KeptServices", () => {
  it("gives the next run the services running as done, and says so when one exits by itself", async () => {
    const { executor, kept, said } = await keeping(["api", "db"]);
    assert.deepEqual(
      [...kept.asDone()],
      [
        ["api", undefined],
        ["db", undefined],
      ],
    );
    executor.call("db").fail("exit-code", 1);
    await settle();
    assert.deepEqual(kept.ids, ["api"], "the next run that needs it starts it again");
    assert.deepEqual(said, [
      "parex: watch: db exited by itself (exit code 1): the next run that needs it starts it again",
    ]);
  });

  it("stops the services asked for, and only those, once they have ended", async () => {
    const { executor, kept, said } = await keeping(["api", "db"]);
    await kept.stop(["db", "build"], "a change affects it");
    assert.equal(executor.call("db").settled, true);
    assert.equal(executor.call("api").signal.aborted, false);
    assert.deepEqual(kept.ids, ["api"]);
    await kept.stopAll();
    assert.deepEqual(executor.running(), []);
    assert.deepEqual(said, [
      "parex: watch: stopping db: a change affects it",
      "parex: watch: stopping api: the watch ends",
    ]);
  });

  it("shows their output through a run while it runs, and through its own writer otherwise", async () => {
    const { executor, kept, shown } = await keeping(["api"]);
    const api = executor.call("api");
    api.output("stdout", "idle\n");
    const inRun: string[] = [];
    const release = kept.showThrough((taskId, _attempt, stream, chunk) =>
      inRun.push(`${taskId} ${stream}:${chunk}`),
    );
    api.output("stderr", "GET /\n");
    release();
    api.output("stdout", "idle again\n");
    assert.deepEqual(inRun, ["api stderr:GET /\n"]);
    assert.deepEqual(shown, ["api#1 stdout:idle\n", "api#1 stdout:idle again\n"]);
  });

  it("kills them at once on a second Ctrl-C, without saying they exited", async () => {
    const { executor, kept, said, killed } = await keeping(["api"]);
    kept.killNow();
    executor.call("api").fail("signal");
    await settle();
    assert.equal(killed(), 1);
    assert.deepEqual(said, []);
  });

  it("says in the summary which services keep running", async () => {
    const { kept } = await keeping(["api", "db"]);
    assert.equal(
      kept.summaryLine(),
      "kept running: api, db (until a change affects them, or Ctrl-C)",
    );
    await kept.stop(["db"], "a change affects it");
    assert.equal(kept.summaryLine(), "kept running: api (until a change affects it, or Ctrl-C)");
    await kept.stopAll();
    assert.equal(kept.summaryLine(), undefined);
  });
});
