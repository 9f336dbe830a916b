/**
 * What the distributed benchmark needs around the built CLI: a project of tasks, `parex worker`
 * processes on a queue of the measurement's own, a `parex run` timed from outside with its
 * CPU time and its whole JSON summary, and the queue emptied afterwards.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import type { RunSummary } from "../../dist/index.js";
import { root } from "./harness.js";

const parexCli = join(root, "dist", "bundle", "main.js");

/** Writes bench/.work/NAME/parex.config.json with `tasks` (id → command); returns the directory. */
export function writeProject(name: string, tasks: Record<string, string>): string {
  const dir = join(root, "bench", ".work", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = {
    tasks: Object.fromEntries(Object.entries(tasks).map(([id, run]) => [id, { run }])),
  };
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config));
  return dir;
}

let queues = 0;

/** A queue name no other measurement uses. */
export const freshQueue = (): string => `bench-${process.pid}-${++queues}`;

/** Removes every key of `queue` (its jobs are kept a day after they end otherwise). */
export async function obliterate(url: string, queue: string): Promise<void> {
  const bull = new Queue(queue, { connection: { url } });
  await bull.obliterate({ force: true });
  await bull.close();
}

/** A `parex worker` process, once it says it waits for tasks. */
export interface BenchWorker {
  readonly child: ChildProcess;
  /** Its own CPU seconds so far (not its tasks'). */
  cpu(): number;
  /** SIGTERM, and its exit. */
  stop(): Promise<void>;
}

/** Starts `count` workers of `slots` each on `queue`, each ready to take jobs. */
export async function startWorkers(
  options: { url: string; queue: string; dir: string; slots: number },
  count: number,
): Promise<BenchWorker[]> {
  const start = async (): Promise<BenchWorker> => {
    const child = spawn(
      process.execPath,
      [
        parexCli,
        "worker",
        "--redis",
        options.url,
        "--queue",
        options.queue,
        "-j",
        String(options.slots),
      ],
      { cwd: options.dir, stdio: ["ignore", "ignore", "pipe"] },
    );
    let said = "";
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes("waiting for tasks")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`parex worker exited ${code}:\n${said}`)));
    });
    child.stderr.resume();
    return {
      child,
      cpu: () => {
        const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ");
        return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
      },
      stop: async () => {
        if (child.exitCode !== null) return;
        child.kill("SIGTERM");
        await once(child, "exit");
      },
    };
  };
  return Promise.all(Array.from({ length: count }, start));
}

/** A `parex run` as a user starts it. */
export interface CliRun {
  readonly seconds: number;
  /** CPU seconds of the process and what it waited for (its tasks, in a local run). */
  readonly cpuSeconds: number;
  readonly summary: RunSummary;
}

/**
 * `parex run --json ARGS` in `dir`, timed from spawn to exit; its CPU from the shell's `times`
 * (user + system of its children). Throws with its stderr when it fails.
 */
export async function parexRun(dir: string, args: readonly string[]): Promise<CliRun> {
  const script = '"$@"; s=$?; times >&2; exit $s';
  const started = performance.now();
  const child = spawn(
    "sh",
    ["-c", script, "sh", process.execPath, parexCli, "run", "--json", "--no-history", ...args],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const [code] = (await once(child, "close")) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`parex run ${args.join(" ")} exited ${code}:\n${stderr}`);
  // `times`' last line: the children's user and system time, as 0m1.230000s 0m0.040000s.
  const last = stderr.trim().split("\n").at(-1) ?? "";
  const cpuSeconds = [...last.matchAll(/(\d+)m([\d.]+)s/g)]
    .map((m) => Number(m[1]) * 60 + Number(m[2]))
    .reduce((a, b) => a + b, 0);
  return { seconds, cpuSeconds, summary: JSON.parse(stdout) as RunSummary };
}

/** Per job of run `runId` on `queue`, in ms: waiting in the queue, and on its worker (BullMQ's own stamps). */
export async function jobTimes(
  url: string,
  queue: string,
  runId: string,
): Promise<{ waitMs: number[]; workerMs: number[] }> {
  const bull = new Queue(queue, { connection: { url } });
  const jobs = (await bull.getJobs(["completed"], 0, -1)).filter((job) =>
    job.id?.startsWith(`${runId}.`),
  );
  await bull.close();
  return {
    waitMs: jobs.map((job) => (job.processedOn ?? Number.NaN) - job.timestamp),
    workerMs: jobs.map((job) => (job.finishedOn ?? Number.NaN) - (job.processedOn ?? Number.NaN)),
  };
}
