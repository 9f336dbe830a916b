/**
 * A distributed run beyond this machine, on the real scheduler and a virtual clock: a random
 * layered graph of TASKS tasks on WORKERS one-slot workers, the coordinator modelled as what
 * it is, one thread that spends ENQUEUE_MS of CPU handing each attempt to the queue and
 * DONE_MS hearing its result (both measured by distributed-coordinator.ts), and each job
 * LATENCY_MS on the way through Redis besides.
 *   node --import tsx bench/workloads/distributed-sim.ts TASKS ENQUEUE_MS DONE_MS LATENCY_MS CASE...
 * CASE is WORKERS:MEDIAN_MS (the tasks' median duration; lognormal, σ = 0.9).
 * Prints one JSON row per case: the makespan with a free coordinator (and core's simulate()
 * for the same graph, which must agree), with the modelled one, the job rate a free
 * coordinator would need, and how busy the modelled one is.
 */
import {
  buildGraph,
  remainingPath,
  Scheduler,
  simulate,
  VirtualClock,
} from "../../dist/core/index.js";
import type { TaskGraph, TaskSpec } from "../../dist/core/index.js";
import { normal, random } from "../lib/dags.js";

const [tasksArg = "100000", enqueueArg = "0.2", doneArg = "0.1", latencyArg = "1", ...cases] =
  process.argv.slice(2);
const size = Number(tasksArg);

/**
 * `size` tasks in 8 layers, each after 1–3 tasks of the layers before (by index: tasks are
 * numbered layer by layer), durations lognormal around `medianMs`; the same graph for a seed.
 */
function layered(seed: number, medianMs: number): { graph: TaskGraph; durations: Float64Array } {
  const rand = random(seed);
  const layers = 8;
  const specs: TaskSpec<null>[] = [];
  const durations = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const layerStart = Math.floor(Math.floor((i / size) * layers) * (size / layers));
    const fanIn = layerStart === 0 ? 0 : 1 + Math.floor(rand() * 3);
    const dependsOn = new Set<string>();
    for (let k = 0; k < fanIn; k++) dependsOn.add(`t${Math.floor(rand() * layerStart)}`);
    specs.push({ id: `t${i}`, run: null, dependsOn: [...dependsOn] });
    durations[i] = medianMs * Math.exp(0.9 * normal(rand));
  }
  return { graph: buildGraph(specs), durations };
}

interface Costs {
  readonly enqueueMs: number;
  readonly doneMs: number;
  readonly latencyMs: number;
}

/**
 * The run on `workers` slots: each dispatched attempt waits for the coordinator's thread to
 * enqueue it, runs `latency + duration` later, and its dependents are released once the
 * thread has heard it back. Returns the makespan and the thread's busy time.
 */
function run(
  graph: TaskGraph,
  durations: Float64Array,
  workers: number,
  costs: Costs,
): { makespanMs: number; busyMs: number } {
  const scheduler = new Scheduler(graph, {
    concurrency: workers,
    remaining: remainingPath(graph, durations),
    order: "critical-path",
  });
  const clock = new VirtualClock();
  let freeAt = 0;
  let busyMs = 0;
  /** The coordinator's one thread: `then` runs once it has spent `ms` on this, in arrival order. */
  const serve = (ms: number, then: () => void): void => {
    freeAt = Math.max(clock.now(), freeAt) + ms;
    busyMs += ms;
    if (ms === 0) then();
    else clock.setTimer(freeAt - clock.now(), then);
  };
  const dispatch = (): void => {
    for (const { task } of scheduler.dispatch()) {
      serve(costs.enqueueMs, () =>
        clock.setTimer(costs.latencyMs + (durations[task] ?? 0), () =>
          serve(costs.doneMs, () => {
            scheduler.succeed(task);
            dispatch();
          }),
        ),
      );
    }
  };
  scheduler.start();
  dispatch();
  clock.runAll();
  return { makespanMs: clock.now(), busyMs };
}

const costs: Costs = {
  enqueueMs: Number(enqueueArg),
  doneMs: Number(doneArg),
  latencyMs: Number(latencyArg),
};
const free: Costs = { enqueueMs: 0, doneMs: 0, latencyMs: 0 };
for (const text of cases) {
  const [workers = 100, medianMs = 1000] = text.split(":").map(Number);
  const { graph, durations } = layered(1, medianMs);
  const ideal = run(graph, durations, workers, free);
  // The loop above with a free coordinator is core's simulate(): the same scheduler, same times.
  const byId = Object.fromEntries(graph.tasks.map((t, i) => [t.id, durations[i] ?? 0]));
  const byCore = simulate(graph, byId, { concurrency: workers, order: "critical-path" }).makespanMs;
  const modelled = run(graph, durations, workers, costs);
  const work = durations.reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      tasks: size,
      workers,
      medianMs,
      meanMs: work / size,
      idealMs: ideal.makespanMs,
      simulateMs: byCore,
      modelledMs: modelled.makespanMs,
      neededJobsPerSec: (size / ideal.makespanMs) * 1000,
      sustainedJobsPerSec: 1000 / (costs.enqueueMs + costs.doneMs),
      coordinatorBusy: modelled.busyMs / modelled.makespanMs,
      slowdown: modelled.makespanMs / ideal.makespanMs,
    }),
  );
}
