import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OutputTails } from "./output-tails.js";

describe("OutputTails", () => {
  it("keeps a task's latest output within the limit, counting what it dropped", () => {
    const tails = new OutputTails(10);
    tails.push("a", 1, "12345");
    tails.push("a", 1, "6789");
    assert.deepEqual(tails.get("a"), { attempt: 1, text: "123456789", cut: 0 });
    tails.push("a", 1, "abcdef");
    assert.deepEqual(tails.get("a"), { attempt: 1, text: "6789abcdef", cut: 5 });
    tails.push("a", 1, "0123456789XY");
    assert.deepEqual(tails.get("a"), { attempt: 1, text: "23456789XY", cut: 17 });
  });

  it("starts afresh with a later attempt, ignores a late chunk of an earlier one, and forgets a dropped task", () => {
    const tails = new OutputTails();
    tails.push("a", 1, "first");
    tails.push("a", 2, "second");
    tails.push("a", 1, "late");
    assert.deepEqual(tails.get("a"), { attempt: 2, text: "second", cut: 0 });
    tails.drop("a");
    assert.equal(tails.get("a"), undefined);
  });
});
