import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateAlerts } from "./alerts.js";
import type { RunSummary } from "./summary.js";

const summary = {
  makespanMs: 1200,
  efficiency: 0.4,
  tasks: [
    { id: "build", status: "succeeded", durationMs: 900, attempts: 1, fallbackUsed: false },
    { id: "lint", status: "failed", durationMs: 100, attempts: 1, fallbackUsed: false },
  ],
} as unknown as RunSummary;

describe("alerts", () => {
  it("fires rules on the run's numbers and on tasks slower than they used to be", () => {
    const alerts = evaluateAlerts(
      [
        { metric: "makespanMs", above: 1000 },
        { name: "low efficiency", metric: "efficiency", below: 0.5 },
        { metric: "failureRate", above: 0.6 },
        { name: "slow task", metric: "taskSlowdown", above: 2 },
      ],
      summary,
      new Map([
        ["build", 300],
        ["lint", 90],
      ]),
    );
    assert.deepEqual(
      alerts.map((a) => a.message),
      [
        "makespanMs: 1200 > 1000",
        "low efficiency: 0.4 < 0.5",
        "slow task: build took 900 ms, 3.0× its usual 300 ms",
      ],
    );
  });

  it("does not judge the efficiency of a run that stopped early", () => {
    const rules = [{ name: "low efficiency", metric: "efficiency", below: 0.5 }] as const;
    const stopped = { ...summary, complete: false };
    assert.deepEqual(evaluateAlerts(rules, stopped, new Map()), []);
    assert.equal(evaluateAlerts(rules, summary, new Map()).length, 1);
  });
});
