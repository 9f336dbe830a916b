import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  analyze,
  buildGraph,
  insight,
  runGraph,
  summarize,
  VirtualClock,
} from "../../core/index.js";
import type { RunSummary } from "../../core/index.js";
import { drive, TimedExecutor } from "../../testing/index.js";
import {
  distributionMatrix,
  groupTimes,
  heaviest,
  scalabilityColumns,
  spawnOverhead,
  throughput,
} from "./panels.js";

/** Two builds then a test on 2 slots, on a virtual clock: build-a 40 ms, build-b 20 ms, test 30 ms. */
async function summary(): Promise<RunSummary> {
  const clock = new VirtualClock(10_000);
  const graph = buildGraph([
    { id: "build-a", run: "build-a", group: "build" },
    { id: "build-b", run: "build-b", group: "build" },
    { id: "test", run: "test", group: "test", dependsOn: ["build-a", "build-b"] },
  ]);
  const executor = new TimedExecutor(clock, { "build-a": 40, "build-b": 20, test: 30 });
  const run = await drive(clock, runGraph(graph, { executor, clock, concurrency: 2 }));
  const analysis = analyze(graph, run);
  return summarize(run, analysis, insight(graph, run, analysis));
}

describe("seed 001's panels", () => {
  it("compares tasks per second in the run (70 ms) with one at a time (90 ms)", async () => {
    const s = await summary();
    assert.deepEqual(throughput(s), {
      parallelPerSec: s.throughputPerSec,
      sequentialPerSec: 3 / 0.09,
    });
    assert.equal(throughput({ ...s, measuredSequentialMs: 100 }).measuredSequentialPerSec, 30);
  });

  it("gives each group its time one at a time and its span in the run", async () => {
    assert.deepEqual(groupTimes(await summary()), [
      { group: "build", tasks: 2, sequentialMs: 60, parallelMs: 40 },
      { group: "test", tasks: 1, sequentialMs: 30, parallelMs: 30 },
    ]);
  });

  it("lays the distribution out as a group × slot matrix", async () => {
    assert.deepEqual(distributionMatrix(await summary()), {
      by: "slot",
      groups: ["build", "test"],
      columns: ["slot 0", "slot 1"],
      cells: [
        [40, 20],
        [30, 0],
      ],
      max: 40,
    });
  });

  it("lays a distributed run's distribution out by worker", async () => {
    const s = await summary();
    const byWorker = { build: { "ci-2/9": 15, "ci-1/7": 40 }, test: { "ci-1/7": 30 } };
    assert.deepEqual(distributionMatrix({ ...s, workerDistribution: byWorker }), {
      by: "worker",
      groups: ["build", "test"],
      columns: ["ci-1/7", "ci-2/9"],
      cells: [
        [40, 15],
        [30, 0],
      ],
      max: 40,
    });
  });

  it("draws the scalability curve with the measured makespan at the run's slots", async () => {
    const s = await summary();
    const [slots, parex, waves, bound, measured, searched] = scalabilityColumns(s) ?? [];
    assert.deepEqual(slots, [1, 2, 3]);
    assert.deepEqual(parex, [90, 70, 70]);
    assert.deepEqual(waves, [90, 70, 70]);
    assert.deepEqual(bound, [90, 70, 70]);
    assert.deepEqual(measured, [null, 70, null]);
    assert.deepEqual(searched, [90, 70, 70]);
    assert.equal(scalabilityColumns({ ...s, scalability: [] }), undefined);
  });

  it("sums the spawn overhead of the tasks that report it, and ranks tasks by CPU and memory", async () => {
    const s = await summary();
    assert.equal(spawnOverhead(s), undefined, "in-process tasks spawn nothing");
    const measured: RunSummary = {
      ...s,
      tasks: s.tasks.map((t, i) => ({
        ...t,
        spawnMs: 3 * (i + 1),
        cpuMs: 10 * i,
        ...(i === 1 ? {} : { peakRssBytes: 1000 * i }),
      })),
    };
    assert.deepEqual(spawnOverhead(measured), {
      tasks: 3,
      totalMs: 18,
      meanMs: 6,
      shareOfWork: 0.2,
    });
    assert.deepEqual(
      heaviest(measured, "cpuMs", 2).map((t) => t.id),
      ["test", "build-b"],
    );
    assert.deepEqual(
      heaviest(measured, "peakRssBytes", 5).map((t) => t.id),
      ["test", "build-a"],
    );
  });
});
