import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph, runGraph, VirtualClock } from "../../core/index.js";
import type { RunEvent } from "../../core/index.js";
import { ScriptedExecutor, settle } from "../../testing/index.js";
import { RunFeed } from "./run-feed.js";

describe("RunFeed", () => {
  it("folds a batch into the table, the running tasks' output and the event stream", async () => {
    const clock = new VirtualClock(1_000);
    const executor = new ScriptedExecutor<string>();
    const events: RunEvent[] = [];
    const done = runGraph(buildGraph<string>([{ id: "a", run: "a" }]), {
      executor,
      clock,
      listeners: [(event) => events.push(event)],
    });
    await settle();
    executor.call("a").output("stdout", "hello\n");
    const feed = new RunFeed();
    feed.apply(events.splice(0));
    assert.equal(feed.table.get("a")?.status, "running");
    assert.equal(feed.tails.get("a")?.text, "hello\n");
    assert.deepEqual(
      feed.log.lines().map((l) => l.text),
      ["run started: 1 tasks on 1 slots (all)", "a queued", "a started on slot 0"],
    );
    executor.call("a").succeed();
    await done;
    feed.apply(events.splice(0));
    assert.equal(feed.table.get("a")?.status, "succeeded");
    assert.equal(feed.tails.get("a"), undefined, "an ended task's log is read from the log route");
    assert.equal(feed.log.lines().at(-1)?.text, "run succeeded");
  });

  it("counts the events a gap lost", () => {
    const feed = new RunFeed();
    feed.gap(3);
    feed.gap(2);
    assert.equal(feed.missed, 5);
  });
});
