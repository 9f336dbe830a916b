import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { emptyStat, groupMembers, hasProc, readStat } from "./proc.js";

describe("/proc reading", { skip: !hasProc && "not Linux" }, () => {
  it("parses a stat line in place as the text split would", () => {
    const text = readFileSync(`/proc/${process.pid}/stat`, "latin1");
    const fields = text
      .slice(text.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const stat = emptyStat();
    assert.equal(readStat(String(process.pid), stat), true);
    assert.equal(stat.pid, process.pid);
    assert.equal(String.fromCharCode(stat.state), text.slice(text.lastIndexOf(")") + 2)[0]);
    assert.equal(stat.processGroup, fields[2]);
    const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    assert.ok(Math.abs(stat.cpuTicks - ticks) <= 2, `${stat.cpuTicks} vs ${ticks}`);
    assert.ok(stat.rssPages > 0);
  });

  it("reports an ended process as gone, and finds the members of a group", () => {
    assert.equal(readStat("999999999", emptyStat()), false);
    const stat = emptyStat();
    readStat(String(process.pid), stat);
    assert.ok(groupMembers(stat.processGroup).some((member) => member.pid === process.pid));
  });
});
