/**
 * The coordinator of a distributed run, in process, measured around its own work only:
 *   node --import tsx bench/workloads/distributed-coordinator.ts MODE TASKS SLOTS REDIS_URL QUEUE
 * `enqueue`: TASKS attempts handed to the dispatcher at once, as when that many tasks become
 * ready with free slots (no worker listens), timed until Redis holds every job.
 * `roundtrip`: a graph of TASKS independent tasks run on SLOTS slots through the real scheduler
 * and dispatcher, answered by bench/lib/instant-worker.mjs (workers that take no time).
 * Prints one JSON row: wall, jobs/s, and CPU ms per job of the coordinator, Redis and the worker.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { once } from "node:events";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { buildGraph, runGraph } from "../../dist/core/index.js";
import type { AttemptContext, Command, TaskSpec } from "../../dist/core/index.js";
import { openDispatcher } from "../../dist/distributed/index.js";
import { systemClock } from "../../dist/exec/index.js";

const [mode = "roundtrip", tasksArg = "1000", slotsArg = "64", url = "", queueName = ""] =
  process.argv.slice(2);
const tasks = Number(tasksArg);
const slots = Number(slotsArg);
if (url === "" || queueName === "" || (mode !== "enqueue" && mode !== "roundtrip")) {
  console.error(
    "usage: distributed-coordinator.ts enqueue|roundtrip TASKS SLOTS REDIS_URL QUEUE (a queue of its own: it is emptied)",
  );
  process.exit(2);
}

const redis = new Redis(url);
const queue = new Queue(queueName, { connection: { url } });
const command: Command = { command: "true", cwd: process.cwd() };

/** Redis's own CPU seconds so far (user + system, from INFO). */
async function redisCpu(): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1]);
  return field("used_cpu_user") + field("used_cpu_sys");
}

/** A process's CPU seconds so far (utime + stime from /proc, in ticks of 10 ms). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const dispatcherFor = (runId: string) =>
  openDispatcher({
    redisUrl: url,
    redisFrom: "bench",
    queue: queueName,
    runId,
    projectDir: process.cwd(),
    workspaces: false,
    notice: (text) => console.error(`coordinator: ${text}`),
  });

/**
 * Hands `count` attempts of run `runId` over at once; resolves when Redis holds them all
 * (`waiting` jobs, polled every 5 ms), with the time and the CPU this took.
 */
async function burst(runId: string, count: number): Promise<Record<string, number>> {
  const dispatcher = await dispatcherFor(runId);
  const signal = new AbortController().signal;
  const context = (i: number): AttemptContext => ({
    taskId: `t${i}`,
    attempt: 1,
    signal,
    results: {},
    output: () => {},
    ready: () => {},
    process: () => {},
  });
  const already = await queue.getWaitingCount();
  const redisBefore = await redisCpu();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) void dispatcher.execute(command, context(i));
  while ((await queue.getWaitingCount()) < already + count)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const redisMs = ((await redisCpu()) - redisBefore) * 1000;
  await dispatcher.close();
  return {
    ms,
    jobsPerSec: (count / ms) * 1000,
    coordinatorCpuMsPerJob: (cpu.user + cpu.system) / 1000 / count,
    redisCpuMsPerJob: redisMs / count,
  };
}

const enqueueBurst = async (): Promise<Record<string, number>> => {
  await burst(`run_bench_warm_${process.pid}`, Math.ceil(tasks / 2)); // JIT warm-up
  return burst(`run_bench_${process.pid}`, tasks);
};

/** Runs a graph of `count` independent `true` tasks through the scheduler and the dispatcher. */
async function runThrough(runId: string, count: number): Promise<number> {
  const specs: TaskSpec<Command>[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    run: command,
  }));
  const dispatcher = await dispatcherFor(runId);
  const started = performance.now();
  const result = await runGraph(buildGraph(specs), {
    executor: dispatcher,
    clock: systemClock,
    concurrency: slots,
    runId,
  });
  const ms = performance.now() - started;
  await dispatcher.close();
  if (result.status !== "succeeded") throw new Error(`run ${runId} ended ${result.status}`);
  return ms;
}

async function roundTrip(): Promise<Record<string, number>> {
  const worker = spawn(
    process.execPath,
    ["bench/lib/instant-worker.mjs", url, queueName, String(Math.max(slots, 1))],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [first] = (await once(worker.stdout, "data")) as [Buffer];
  if (!first.toString().includes("ready")) throw new Error(`instant worker: ${first.toString()}`);
  const pid = worker.pid ?? 0;
  try {
    await runThrough(`run_bench_warm_${process.pid}`, Math.ceil(tasks / 2)); // JIT warm-up
    const redisBefore = await redisCpu();
    const workerBefore = processCpu(pid);
    const cpuBefore = process.cpuUsage();
    const ms = await runThrough(`run_bench_${process.pid}`, tasks);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      ms,
      jobsPerSec: (tasks / ms) * 1000,
      coordinatorCpuMsPerJob: (cpu.user + cpu.system) / 1000 / tasks,
      redisCpuMsPerJob: (((await redisCpu()) - redisBefore) * 1000) / tasks,
      workerCpuMsPerJob: ((processCpu(pid) - workerBefore) * 1000) / tasks,
    };
  } finally {
    worker.kill("SIGTERM");
    await once(worker, "exit");
  }
}

try {
  const row = mode === "enqueue" ? await enqueueBurst() : await roundTrip();
  console.log(JSON.stringify({ mode, tasks, slots, ...row }));
} finally {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
}
