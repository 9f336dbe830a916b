import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { spawn } from "node:child_process";
import { childPids, emptyStat, groupMembers, hasChildren, hasProc, readStat } from "./proc.js";

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
    assert.equal(stat.startTicks, fields[19]);
  });

  it("reports an ended process as gone, and finds the members of a group", () => {
    assert.equal(readStat("999999999", emptyStat()), false);
    const stat = emptyStat();
    readStat(String(process.pid), stat);
    assert.ok(groupMembers(stat.processGroup).some((member) => member.pid === process.pid));
  });

  it(
    "lists a process's children",
    { skip: !hasChildren && "no /proc/PID/task/TID/children" },
    async () => {
      const shell = spawn("sh", ["-c", "sleep 60; true"], { stdio: "ignore" });
      let children: string[] = [];
      try {
        // Until the shell has forked its sleep, however long a loaded machine takes (a minute).
        for (const deadline = Date.now() + 60_000; children.length === 0;) {
          assert.ok(Date.now() < deadline, "the shell never started its child");
          await new Promise((resolve) => setTimeout(resolve, 10));
          children = childPids(String(shell.pid));
        }
        assert.equal(children.length, 1);
        const stat = emptyStat();
        assert.equal(readStat(children[0] ?? "", stat), true);
        assert.deepEqual(childPids("999999999"), []);
      } finally {
        shell.kill("SIGKILL");
        for (const child of children) process.kill(Number(child), "SIGKILL");
      }
    },
  );
});
