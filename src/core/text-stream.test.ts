import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LineSplitter, TextTail } from "./text-stream.js";

function split(chunks: readonly string[], limit = 100): [string, number][] {
  const lines: [string, number][] = [];
  const splitter = new LineSplitter(limit, (line, cut) => lines.push([line, cut]));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe("LineSplitter", () => {
  it("joins lines across chunks and emits an unfinished last line at the end", () => {
    assert.deepEqual(split(["comp", "iling\nha", "lf\n\nlast"]), [
      ["compiling", 0],
      ["half", 0],
      ["", 0],
      ["last", 0],
    ]);
    assert.deepEqual(split(["done\n"]), [["done", 0]]);
  });

  it("keeps the first `limit` characters of a long line and counts the rest", () => {
    assert.deepEqual(split(["abcdef", "ghij\nxy"], 4), [
      ["abcd", 6],
      ["xy", 0],
    ]);
  });

  it("does work linear in the text for a line sent as 10,000 chunks", () => {
    const lines: [number, number][] = [];
    const splitter = new LineSplitter(4096, (line, cut) => lines.push([line.length, cut]));
    const chunk = "x".repeat(1_000);
    for (let i = 0; i < 10_000; i++) splitter.push(chunk);
    splitter.push("\n");
    assert.deepEqual(lines, [[4096, 10_000_000 - 4096]]);
    // Every character scanned once, and the kept 4,096 copied twice (kept, then joined).
    assert.equal(splitter.work, 10_000_001 + 2 * 4096);
  });
});

describe("TextTail", () => {
  it("keeps the last `limit` characters", () => {
    const tail = new TextTail(5);
    for (const chunk of ["ab", "cd", "ef", "gh"]) tail.push(chunk);
    assert.equal(tail.text(), "defgh");
    tail.push("0123456789");
    assert.equal(tail.text(), "56789");
    tail.clear();
    assert.equal(tail.text(), "");
  });

  it("keeps the newest characters across 100,000 one-character chunks", () => {
    const tail = new TextTail(1_000);
    for (let i = 0; i < 100_000; i++) tail.push(`${i % 10}`);
    assert.equal(tail.text(), "0123456789".repeat(100));
  });
});
