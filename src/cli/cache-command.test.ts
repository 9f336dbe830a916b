import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAge, parseSize } from "./cache-command.js";

describe("parex cache's ages and sizes", () => {
  it("reads minutes, hours and days, and sizes in decimal and binary units", () => {
    assert.equal(parseAge("30m"), 1_800_000);
    assert.equal(parseAge("12h"), 43_200_000);
    assert.equal(parseAge("7d"), 604_800_000);
    assert.equal(parseSize("500MB"), 500_000_000);
    assert.equal(parseSize("5gb"), 5_000_000_000);
    assert.equal(parseSize("2GiB"), 2 * 1024 ** 3);
    assert.equal(parseSize("1000"), 1000);
  });

  it("refuses what is not one, naming the option and an example", () => {
    assert.throws(
      () => parseAge("7 days"),
      /^UsageError: parex cache: --older-than takes an age such as 30m, 12h or 7d, got "7 days"\.$/,
    );
    assert.throws(
      () => parseSize("5 gigs"),
      /^UsageError: parex cache: --max-size takes a size such as 500MB or 5GB, got "5 gigs"\.$/,
    );
  });
});
