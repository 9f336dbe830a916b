import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderStatus } from "./workers-command.js";

describe("parex workers", () => {
  it("shows each worker's slots, running tasks and heartbeat, and the queue's jobs", () => {
    const at = 1_000_000;
    const text = renderStatus(
      {
        queue: "parex",
        workers: [
          { id: "ci-1/4242", host: "ci-1", pid: 4242, slots: 4, running: 3, at: at - 1_500 },
          { id: "laptop/77", host: "laptop", pid: 77, slots: 8, running: 0, at },
        ],
        jobs: { waiting: 5, prioritized: 1, active: 3, delayed: 0, completed: 120, failed: 2 },
      },
      "redis://queue:6379",
      at,
    );
    assert.equal(
      text,
      [
        "queue parex on redis://queue:6379: 2 workers",
        "  worker     slots  running  heartbeat",
        "  ci-1/4242  4      3        1.5 s ago",
        "  laptop/77  8      0        0.0 s ago",
        "jobs: 6 waiting, 3 running, 0 delayed, 120 completed, 2 failed (kept a day; failed a week)",
        "",
      ].join("\n"),
    );
  });
});
