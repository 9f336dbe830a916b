import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { hasProc } from "./proc.js";
import { runningSince } from "./process-group.js";

describe("runningSince", () => {
  it("tells a running process from one that ended", (t) => {
    const running = spawn("sleep", ["30"]);
    t.after(() => running.kill());
    assert.equal(runningSince(running.pid ?? 0, Date.now()), true);
    assert.equal(runningSince(spawnSync("true").pid, Date.now()), false);
  });

  it(
    "does not take a process that started later for one that held its pid before",
    { skip: !hasProc && "not Linux" },
    (t) => {
      const later = spawn("sleep", ["30"]);
      t.after(() => later.kill());
      // As a journal written a minute ago by a runner whose pid `later` now has.
      assert.equal(runningSince(later.pid ?? 0, Date.now() - 60_000), false);
      assert.equal(runningSince(process.pid, Date.now()), true, "this one started before now");
    },
  );
});
