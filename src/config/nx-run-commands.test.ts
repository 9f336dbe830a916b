import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { runCommandsOf } from "./nx-run-commands.js";

/** What `sh -c` prints and exits with for the command a target's commands become. */
function run(commands: unknown[], parallel: boolean): { out: string; status: number | null } {
  const target = { executor: "nx:run-commands", options: { commands, parallel } };
  const command = runCommandsOf(target, { name: "core", dir: "packages/core" });
  if (typeof command !== "object") assert.fail(`no command: ${command ?? "another executor"}`);
  const result = spawnSync("sh", ["-c", command.shell], { encoding: "utf8" });
  return { out: result.stdout, status: result.status };
}

describe("runCommandsOf, run by a shell", () => {
  it("runs commands that end in a comment or span lines, in sequence and at once", () => {
    const commands = ["echo one # the first", "echo two\necho three"];
    assert.deepEqual(run(commands, false), { out: "one\ntwo\nthree\n", status: 0 });
    const together = run(commands, true);
    assert.deepEqual(together.out.split("\n").sort(), ["", "one", "three", "two"]);
    assert.equal(together.status, 0);
  });

  it("fails when a command fails: in sequence at once, side by side once all have ended", () => {
    assert.deepEqual(run(["false # no", "echo after"], false), { out: "", status: 1 });
    const together = run(["exit 3", "echo still"], true);
    assert.deepEqual(together, { out: "still\n", status: 1 });
  });
});
