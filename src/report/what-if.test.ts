import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderScalability } from "./what-if.js";

const point = (slots: number, makespanMs: number, searchedMakespanMs?: number) => ({
  slots,
  makespanMs,
  ...(searchedMakespanMs === undefined ? {} : { searchedMakespanMs }),
  waveMakespanMs: 9000,
  lowerBoundMs: 7000,
  speedup: 14000 / makespanMs,
});

describe("renderScalability", () => {
  it("shows the searched order's makespan beside the critical-path rule's", () => {
    const lines = renderScalability([point(1, 14000, 14000), point(2, 8000, 7000)], 2);
    assert.deepEqual(
      lines.map((l) => l.trimEnd()),
      [
        "slots  searched  critical-path rule  wave barriers  lower bound  speedup",
        "1       14.00 s             14.00 s         9.00 s       7.00 s    1.00×",
        "2 ←      7.00 s              8.00 s         9.00 s       7.00 s    1.75×",
      ],
    );
  });

  it("keeps one parex column for summaries stored before the search", () => {
    const lines = renderScalability([point(1, 14000), point(2, 8000)], 2);
    assert.equal(lines[0]?.trimEnd(), "slots    parex  wave barriers  lower bound  speedup");
    assert.doesNotMatch(lines.join("\n"), /searched/);
  });
});
