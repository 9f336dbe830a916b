import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateBudget, evaluateGate, resolvePointer } from "./gates.js";

describe("quality gates", () => {
  it("reads the last match of a pattern in the output and bounds it", () => {
    const lint = { name: "lint problems", pattern: "(\\d+) problems", max: 0 };
    assert.deepEqual(evaluateGate(lint, { output: "3 problems\nfixed\n0 problems\n" }), {
      name: "lint problems",
      status: "pass",
      value: 0,
      message: "lint problems: 0 ≤ max 0",
    });
    assert.deepEqual(evaluateGate(lint, { output: "2 problems" }), {
      name: "lint problems",
      status: "fail",
      value: 2,
      message: "lint problems: 2 > max 0",
    });
  });

  it("reads a JSON file through a pointer, and warns below a minimum at level warn", () => {
    const coverage = {
      name: "coverage",
      file: "coverage.json",
      pointer: "/total/lines/pct",
      min: 85,
      level: "warn" as const,
    };
    assert.deepEqual(evaluateGate(coverage, { json: { total: { lines: { pct: 82.5 } } } }), {
      name: "coverage",
      status: "warn",
      value: 82.5,
      message: "coverage: 82.5 < min 85",
    });
  });

  it("treats a missing number as a breach at the gate's level", () => {
    assert.deepEqual(
      evaluateGate(
        { name: "vulns", pattern: "(\\d+) vulnerabilities", max: 0 },
        { output: "all good" },
      ),
      {
        name: "vulns",
        status: "fail",
        message: "vulns: no match for /(\\d+) vulnerabilities/ in the output",
      },
    );
  });

  it("checks the run against a duration budget", () => {
    assert.equal(evaluateBudget(1000, 900).status, "pass");
    assert.deepEqual(evaluateBudget(1000, 1200.4), {
      name: "duration budget",
      status: "fail",
      value: 1200,
      message: "run took 1200 ms, over the 1000 ms budget",
    });
  });

  it("resolves RFC 6901 pointers with escapes", () => {
    assert.equal(resolvePointer({ "a/b": { "c~d": [1, 2] } }, "/a~1b/c~0d/1"), 2);
    assert.equal(resolvePointer({ a: 1 }, "/missing/x"), undefined);
    assert.equal(resolvePointer({ a: 1 }, "/constructor"), undefined);
    assert.equal(resolvePointer({ a: 1 }, "/__proto__"), undefined);
    assert.equal(resolvePointer(JSON.parse('{"__proto__": {"n": 3}}'), "/__proto__/n"), 3);
  });
});
