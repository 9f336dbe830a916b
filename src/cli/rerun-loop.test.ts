import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VirtualClock } from "../core/index.js";
import { settle } from "../testing/index.js";
import { RerunLoop } from "./rerun-loop.js";

/** A run the test ends (or that ends when its signal aborts), as the loop asked for it. */
interface FakeRun {
  readonly only: readonly string[] | undefined;
  readonly signal: AbortSignal;
  finish(): void;
}

/**
 * A loop on a virtual clock, with 150 ms of quiet; a path `x/...` affects task x, and `lib/...`
 * affects lib and its dependent app.
 */
function harness() {
  const clock = new VirtualClock();
  const runs: FakeRun[] = [];
  const lines: string[] = [];
  const loop = new RerunLoop({
    clock,
    quietMs: 150,
    everything: ["lib", "app", "docs"],
    affectedOf: (paths) => {
      const ids = new Set<string>();
      for (const path of paths) {
        const top = path.split("/")[0] ?? "";
        if (top === "lib") ids.add("lib").add("app");
        else if (top === "app" || top === "docs") ids.add(top);
      }
      return Promise.resolve({ tasks: [...ids], paths });
    },
    run: (only, signal) =>
      new Promise<void>((resolve) => {
        signal.addEventListener("abort", () => resolve(), { once: true });
        runs.push({
          only: only === undefined ? undefined : [...only].sort(),
          signal,
          finish: resolve,
        });
      }),
    say: (line) => lines.push(line),
  });
  return { clock, runs, lines, loop };
}

describe("RerunLoop", () => {
  it("makes one re-run of a burst of changes closer together than the quiet time", async () => {
    const { clock, runs, loop, lines } = harness();
    loop.start();
    runs[0]?.finish();
    await settle();
    for (const path of ["app/a.ts", "app/b.ts", "docs/x.md"]) {
      loop.changed(path);
      clock.advance(100);
    }
    await settle();
    assert.equal(runs.length, 1, "100 ms apart: still one burst");
    clock.advance(50);
    await settle();
    assert.equal(runs.length, 2);
    assert.deepEqual(runs[1]?.only, ["app", "docs"]);
    assert.ok(lines.includes("parex: watch: re-run: app, docs (app/a.ts and 2 more changed)"));
  });

  it("re-runs twice for changes further apart than the quiet time", async () => {
    const { clock, runs, loop } = harness();
    loop.start();
    runs[0]?.finish();
    await settle();
    loop.changed("app/a.ts");
    clock.advance(150);
    await settle();
    runs[1]?.finish();
    await settle();
    loop.changed("docs/a.md");
    clock.advance(150);
    await settle();
    assert.deepEqual(
      runs.map((run) => run.only),
      [undefined, ["app"], ["docs"]],
    );
  });

  it("stops a run that a change makes stale, and runs its tasks again with the new ones", async () => {
    const { clock, runs, loop, lines } = harness();
    loop.start();
    runs[0]?.finish();
    await settle();
    loop.changed("app/a.ts");
    clock.advance(150);
    await settle();
    loop.changed("lib/index.ts");
    clock.advance(150);
    await settle();
    assert.equal(runs[1]?.signal.aborted, true, "the run of app was stopped");
    assert.ok(lines.includes("parex: watch: lib/index.ts changed: stopping the stale run"));
    assert.deepEqual(runs[2]?.only, ["app", "lib"]);
  });

  it("lets the current run finish when a change does not touch its tasks, then runs them", async () => {
    const { clock, runs, loop } = harness();
    loop.start();
    runs[0]?.finish();
    await settle();
    loop.changed("app/a.ts");
    clock.advance(150);
    await settle();
    loop.changed("docs/a.md");
    clock.advance(150);
    await settle();
    assert.equal(runs[1]?.signal.aborted, false);
    assert.equal(runs.length, 2, "one run at a time");
    runs.at(1)?.finish();
    await settle();
    assert.deepEqual(runs[2]?.only, ["docs"]);
  });

  it("says when a change affects no task, and does not run", async () => {
    const { clock, runs, loop, lines } = harness();
    loop.start();
    runs[0]?.finish();
    await settle();
    loop.changed("README.md");
    clock.advance(150);
    await loop.settled();
    assert.equal(runs.length, 1);
    assert.equal(lines.at(-1), "parex: watch: README.md changed: no task affected");
  });

  it("stops the current run when it is stopped, and starts no other", async () => {
    const { clock, runs, loop } = harness();
    loop.start();
    loop.changed("docs/a.md");
    await loop.stop();
    assert.equal(runs[0]?.signal.aborted, true);
    clock.runAll();
    await settle();
    assert.equal(runs.length, 1);
  });
});
