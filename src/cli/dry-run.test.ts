import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import { dryRun } from "./dry-run.js";
import type { DryRun } from "./dry-run.js";
import type { Io } from "./io.js";

// On 2 slots the critical-path rule starts the chains b → c and d → e first (8 s); the
// searched order starts a, the longest task, at once (7 s).
const graph = buildGraph(
  [
    { id: "a", run: { command: "echo a" } },
    { id: "b", run: { command: "echo b" } },
    { id: "c", run: { command: "echo c" }, dependsOn: ["b"] },
    { id: "d", run: { command: "echo d" } },
    { id: "e", run: { command: "echo e" }, dependsOn: ["d"] },
  ].map((spec) => ({ dependsOn: [], ...spec })),
);
const learned = new Map([
  ["a", 4000],
  ["b", 2000],
  ["c", 3000],
  ["d", 2000],
  ["e", 3000],
]);

/** The dry run's JSON, from a project directory of its own, which it must leave empty. */
async function plan(estimates: ReadonlyMap<string, number>): Promise<string[]> {
  const projectDir = mkdtempSync(join(tmpdir(), "parex-dry-"));
  let out = "";
  const io: Io = {
    cwd: projectDir,
    env: {},
    tty: { stdout: false, stderr: false },
    stdout: (text) => (out += text),
    stderr: (text) => assert.fail(`nothing on stderr, got ${text}`),
  };
  const code = await dryRun(graph, {
    projectDir,
    mode: "read-write",
    noHistory: false,
    json: true,
    io,
    concurrency: 2,
    estimates,
  });
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(projectDir), [], "a dry run writes nothing");
  return (JSON.parse(out) as DryRun).tasks.map((t) => t.id);
}

describe("parex run --dry's order", () => {
  it("lists the tasks in the order a run would start them: the searched order, with durations learned", async () => {
    // b and a at once, then d when b ends: the 7 s schedule. The config's dependency order
    // would be a, b, d, c, e, and the critical-path rule's b, d, a, c, e.
    assert.deepEqual(await plan(learned), ["b", "a", "d", "c", "e"]);
  });

  it("without durations, every task counts the same: the longest chains first", async () => {
    assert.deepEqual(await plan(new Map()), ["b", "d", "a", "c", "e"]);
  });
});
