import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldInterval, maxFoldMs, minFoldMs } from "./fold-pace.js";

describe("foldInterval", () => {
  it("folds 10 times a second while drawing is cheap", () => {
    assert.equal(foldInterval(0), minFoldMs);
    assert.equal(foldInterval(5), minFoldMs);
    assert.equal(foldInterval(25), minFoldMs);
  });

  it("keeps a heavier page's folds to a quarter of the main thread", () => {
    assert.equal(foldInterval(40), 160);
    assert.equal(foldInterval(100), 400);
  });

  it("still folds twice a second however long a fold took", () => {
    assert.equal(foldInterval(2_000), maxFoldMs);
  });
});
