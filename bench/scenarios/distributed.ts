/**
 * Distributed runs on BullMQ/Redis (issue 16), workers on this machine: the dispatch overhead
 * per task against a local run (trivial tasks, one worker), the speedup of 1, 2 and 4
 * one-slot workers on sleeping tasks, the job rate the coordinator sustains into BullMQ, and
 * from that rate, a simulated 100-worker run of 100,000 tasks. Redis: $PAREX_BENCH_REDIS, or
 * 127.0.0.1:6379; each measurement has a queue of its own, emptied afterwards.
 */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { Row, ScenarioResult } from "../lib/harness.js";
import {
  freshQueue,
  jobTimes,
  obliterate,
  parexRun,
  startWorkers,
  writeProject,
} from "../lib/distributed-run.js";
import { redisAnswers } from "../../src/testing/redis-server.js";

const url = process.env["PAREX_BENCH_REDIS"] ?? "redis://127.0.0.1:6379";

type Table = (string | number)[][];
const median = (values: readonly number[]): number => stats(values).median;
const ms = (values: readonly number[], digits = 1): string => spread(stats(values), digits);

/** 1. `tasks` × `true`, local against one worker of the same -j, interleaved. */
async function overhead(quick: boolean, rows: Table, verdicts: string[]): Promise<Row> {
  const tasks = quick ? 100 : 1000;
  const reps = quick ? 1 : 5;
  const dir = writeProject(
    "distributed-trivial",
    Object.fromEntries(Array.from({ length: tasks }, (_, i) => [`t${i}`, "true"])),
  );
  const found: Row = {};
  for (const slots of quick ? [2] : [2, 8]) {
    const queue = freshQueue();
    const [worker] = await startWorkers({ url, queue, dir, slots }, 1);
    const local: number[] = [];
    const remote: number[] = [];
    const cpu = { local: [] as number[], remote: [] as number[], worker: [] as number[] };
    const task = {
      local: [] as number[],
      remote: [] as number[],
      wait: [] as number[],
      on: [] as number[],
    };
    const args = ["-j", String(slots), "--output", "none", "--redis", url, "--queue", queue];
    const makespan = { local: [] as number[], remote: [] as number[] };
    try {
      // A worker is long-lived: the measured runs meet one that has run tasks before.
      if (!quick) await parexRun(dir, args);
      for (let rep = 0; rep < reps; rep++) {
        const plain = await parexRun(dir, ["-j", String(slots), "--output", "none"]);
        local.push(plain.seconds);
        cpu.local.push(plain.cpuSeconds);
        makespan.local.push(plain.summary.makespanMs);
        task.local.push(...plain.summary.tasks.map((t) => t.durationMs ?? Number.NaN));
        const before = worker?.cpu() ?? Number.NaN;
        const viaWorker = await parexRun(dir, args);
        remote.push(viaWorker.seconds);
        cpu.remote.push(viaWorker.cpuSeconds);
        makespan.remote.push(viaWorker.summary.makespanMs);
        cpu.worker.push((worker?.cpu() ?? Number.NaN) - before);
        task.remote.push(...viaWorker.summary.tasks.map((t) => t.durationMs ?? Number.NaN));
        const times = await jobTimes(url, queue, viaWorker.summary.runId);
        task.wait.push(...times.waitMs);
        task.on.push(...times.workerMs);
      }
    } finally {
      await worker?.stop();
      await obliterate(url, queue);
    }
    const perTask = ((median(remote) - median(local)) / tasks) * 1000;
    found[`overheadMs${slots}`] = perTask;
    const name = `${tasks} × \`true\`, -j ${slots}`;
    rows.push(
      [name, "local run: wall (s)", spread(stats(local), 2)],
      [name, "one worker: wall (s)", spread(stats(remote), 2)],
      [name, "overhead per task (ms): (worker − local) / tasks", fmt(perTask, 2)],
      [
        name,
        "… the same of the runs' makespans (no start-up)",
        fmt((median(makespan.remote) - median(makespan.local)) / tasks, 2),
      ],
      [name, "local: a task's time, enqueue to end (ms)", ms(task.local)],
      [name, "one worker: a task's time, enqueue → result back (ms)", ms(task.remote)],
      [name, "… of which waiting in the queue (BullMQ stamps)", ms(task.wait)],
      [name, "… of which on the worker, `true` included", ms(task.on)],
      [
        name,
        "CPU per task (ms): local run, its tasks included",
        fmt((median(cpu.local) / tasks) * 1000, 2),
      ],
      [
        name,
        "CPU per task (ms): coordinator / worker, tasks included",
        `${fmt((median(cpu.remote) / tasks) * 1000, 2)} / ${fmt((median(cpu.worker) / tasks) * 1000, 2)}`,
      ],
    );
    verdicts.push(
      `${name}: ${fmt(perTask, 2)} ms of overhead per task (goal ≤ 3 ms); a task's round trip ${fmt(median(task.remote), 1)} ms against ${fmt(median(task.local), 1)} ms locally (medians)`,
    );
    found[`latencyMs${slots}`] = median(task.remote) - median(task.on);
  }
  return found;
}

/** 2. `count` sleeping tasks on 1, 2 (and 4) one-slot workers: makespan and speedup. */
async function speedup(quick: boolean, rows: Table, verdicts: string[]): Promise<void> {
  const count = quick ? 8 : 40;
  const seconds = quick ? 0.2 : 0.5;
  const reps = quick ? 1 : 3;
  const dir = writeProject(
    "distributed-sleep",
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`s${i}`, `sleep ${seconds}`])),
  );
  const counts = quick ? [1, 2] : [1, 2, 4];
  const makespans = new Map<number, number[]>(counts.map((n) => [n, []]));
  const walls = new Map<number, number[]>(counts.map((n) => [n, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const n of counts) {
      const queue = freshQueue();
      const workers = await startWorkers({ url, queue, dir, slots: 1 }, n);
      try {
        const args = ["-j", String(n), "--output", "none", "--redis", url, "--queue", queue];
        const run = await parexRun(dir, args);
        const used = new Set(run.summary.tasks.map((t) => t.worker));
        if (used.size !== n) throw new Error(`${n} workers listened, ${used.size} ran tasks`);
        makespans.get(n)?.push(run.summary.makespanMs / 1000);
        walls.get(n)?.push(run.seconds);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        await obliterate(url, queue);
      }
    }
  }
  const one = median(makespans.get(1) ?? []);
  for (const n of counts) {
    const name = `${count} × \`sleep ${seconds}\`, ${n} worker${n === 1 ? "" : "s"} of -j 1`;
    const m = median(makespans.get(n) ?? []);
    rows.push(
      [name, "makespan (s)", spread(stats(makespans.get(n) ?? []), 2)],
      [name, "wall (s)", spread(stats(walls.get(n) ?? []), 2)],
      [name, "speedup against 1 worker (makespan)", `${fmt(one / m, 2)}× (ideal ${n}×)`],
    );
  }
  const most = counts.at(-1) ?? 1;
  verdicts.push(
    `${count} × ${seconds} s on ${most} workers: ${fmt(one / median(makespans.get(most) ?? []), 2)}× the makespan of 1 worker${most === 4 ? " (goal ≥ 3.6×)" : ""}`,
  );
}

/** 3. The coordinator in process: a burst of ready attempts, and round trips to instant workers. */
function coordinator(quick: boolean, rows: Table, verdicts: string[]): Row {
  const tasks = quick ? 300 : 2000;
  const reps = quick ? 1 : 3;
  const of = (mode: string, slots: number): Row[] =>
    Array.from({ length: reps }, () =>
      node("bench/workloads/distributed-coordinator.ts", [mode, tasks, slots, url, freshQueue()]),
    ).flat();
  const burst = of("enqueue", tasks);
  const trips = of("roundtrip", 64);
  const col = (list: Row[], key: string) => list.map((r) => Number(r[key]));
  const name = (what: string) => `coordinator, ${tasks} jobs: ${what}`;
  rows.push(
    [
      name("all ready at once, until Redis holds them"),
      "jobs/s",
      spread(stats(col(burst, "jobsPerSec")), 0),
    ],
    [
      name("… CPU per job (ms)"),
      "coordinator / Redis",
      `${fmt(median(col(burst, "coordinatorCpuMsPerJob")), 3)} / ${fmt(median(col(burst, "redisCpuMsPerJob")), 3)}`,
    ],
    [
      name("64 slots, instant workers, enqueue → result back"),
      "jobs/s",
      spread(stats(col(trips, "jobsPerSec")), 0),
    ],
    [
      name("… CPU per job (ms)"),
      "coordinator / Redis / worker",
      `${fmt(median(col(trips, "coordinatorCpuMsPerJob")), 3)} / ${fmt(median(col(trips, "redisCpuMsPerJob")), 3)} / ${fmt(median(col(trips, "workerCpuMsPerJob")), 3)}`,
    ],
  );
  const enqueueMs = median(col(burst, "coordinatorCpuMsPerJob"));
  const totalMs = median(col(trips, "coordinatorCpuMsPerJob"));
  verdicts.push(
    `the coordinator sustains ${fmt(median(col(trips, "jobsPerSec")), 0)} round trips/s here (workers, Redis and it on 2 cores); its own CPU, ${fmt(totalMs, 3)} ms a job, bounds it at ${fmt(1000 / totalMs, 0)} jobs/s on a core of its own`,
  );
  return { enqueueMs, doneMs: Math.max(0, totalMs - enqueueMs) };
}

/** 4. 100 workers (and more), 100,000 tasks, on the simulator with the measured coordinator. */
function beyond(quick: boolean, costs: Row, rows: Table, verdicts: string[]): void {
  const tasks = quick ? 2000 : 100_000;
  const cases = quick
    ? ["10:1000", "10:10"]
    : ["100:10000", "100:1000", "100:100", "100:10", "1000:1000"];
  const latencyMs = Number(costs["latencyMs"]);
  const sim = node("bench/workloads/distributed-sim.ts", [
    tasks,
    Number(costs["enqueueMs"]),
    Number(costs["doneMs"]),
    latencyMs,
    ...cases,
  ]);
  for (const r of sim) {
    if (Math.abs(Number(r["idealMs"]) - Number(r["simulateMs"])) > 1e-6)
      throw new Error(
        `the model with a free coordinator disagrees with simulate(): ${JSON.stringify(r)}`,
      );
    const name = `simulated: ${tasks} tasks, ${String(r["workers"])} workers, median task ${fmt(Number(r["medianMs"]) / 1000, 2)} s`;
    rows.push(
      [name, "jobs/s a free coordinator would need", fmt(Number(r["neededJobsPerSec"]), 0)],
      [
        name,
        "makespan free / modelled coordinator (s)",
        `${fmt(Number(r["idealMs"]) / 1000, 1)} / ${fmt(Number(r["modelledMs"]) / 1000, 1)}`,
      ],
      [name, "coordinator busy", `${fmt(Number(r["coordinatorBusy"]) * 100, 0)} %`],
    );
  }
  const worst = sim.filter((r) => Number(r["coordinatorBusy"]) > 0.9);
  const sustained = Number(sim[0]?.["sustainedJobsPerSec"]);
  verdicts.push(
    worst.length === 0
      ? `simulated: the coordinator (${fmt(sustained, 0)} jobs/s) is not the bottleneck in any case simulated`
      : `simulated: the coordinator (${fmt(sustained, 0)} jobs/s) is the bottleneck where ${worst.map((r) => `${String(r["workers"])} workers run tasks of median ${fmt(Number(r["medianMs"]) / 1000, 2)} s (${fmt(Number(r["slowdown"]), 2)}× the free makespan)`).join("; ")}`,
  );
}

export async function distributed(quick: boolean): Promise<ScenarioResult> {
  const command = `npm run bench -- distributed${quick ? " --quick" : ""}`;
  const title = "Distributed runs on BullMQ/Redis: overhead, speedup, the coordinator's job rate";
  if (!(await redisAnswers(url)))
    return {
      title,
      command,
      table: "",
      notes: [`Skipped: Redis does not answer on ${url} (start it, or set PAREX_BENCH_REDIS).`],
      verdicts: [],
    };
  const rows: Table = [];
  const verdicts: string[] = [];
  const found = await overhead(quick, rows, verdicts);
  await speedup(quick, rows, verdicts);
  const costs = coordinator(quick, rows, verdicts);
  beyond(quick, { ...costs, latencyMs: found["latencyMs2"] ?? 0 }, rows, verdicts);
  return {
    title,
    command,
    table: markdown(["case", "measure", "median (min–max)"], rows),
    notes: [
      `Redis ${url}, workers on this machine (\`parex worker\`, the built CLI), each measurement on a queue of its own. Overhead: the same ${quick ? 100 : 1000} tasks run locally and through one worker of the same -j, interleaved, \`--no-history --output none\`; a task's time is its span in the coordinator's JSON summary. The coordinator rows run the real scheduler and dispatcher in process against bench/lib/instant-worker.mjs, a BullMQ worker answering every job at once. The simulation runs the real scheduler on a virtual clock, the coordinator a single thread paying the measured CPU per job, each job also the measured queue latency (a task's round trip less its time on the worker, -j 2).`,
    ],
    verdicts,
  };
}
