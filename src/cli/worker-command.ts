import { basename } from "node:path";
import { findConfig, readConfig, validateConfig } from "../config/index.js";
import { startWorker } from "../distributed/index.js";
import type { TaskJob } from "../distributed/index.js";
import type { Command, Executor } from "../core/index.js";
import { AttemptLedger, ledgerDir, processExecutor, stopLeftAttempts } from "../exec/index.js";
import type { ProcessExecutor } from "../exec/index.js";
import { configOption, parseCommand, slotsFrom, string, UsageError } from "./args.js";
import { queueFlags, queueFrom } from "./distributed-options.js";
import type { Io } from "./io.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";
import { projectLookup } from "./worker-lookup.js";

/** Runs whose process executors a worker keeps (for their processes' marks and logs). */
const keptRuns = 16;

/** `parex worker --help`, and the options it parses. */
export const workerDoc: CommandDoc = {
  usage: "parex worker --redis URL [options]",
  about: [
    "Runs tasks of distributed runs (`parex run --redis URL`) from the queue, until SIGTERM or",
    "Ctrl-C, which let its running tasks end first. It runs only tasks of its own config (or",
    "workspaces), defined as the run's coordinator defines them (docs/distributed.md).",
  ],
  options: {
    ...queueFlags,
    concurrency: {
      type: "string",
      short: "j",
      value: "N",
      help: ["tasks at once: a number, or N% of the CPUs (default: the number of CPUs)"],
    },
    ...configOption,
    "lock-ms": {
      type: "string",
      value: "MS",
      help: [
        "how long a job stays with a worker that stopped answering before",
        "another worker takes it (default: 30000)",
      ],
    },
  },
  footer: ["Exit codes: 0 stopped by a signal, 2 usage or config error."],
};

/** `parex worker`: runs until SIGINT or SIGTERM; returns the exit code. */
export async function workerCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("worker", argv, workerDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(workerDoc)}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `parex worker: it takes no task names (${positionals.join(" ")}): a worker runs what runs send it.`,
    );
  const configFile = string(values["config"]) ?? findConfig(io.cwd);
  const config =
    configFile === undefined ? undefined : validateConfig(await readConfig(configFile), configFile);
  const queue = queueFrom("worker", values, io.env, {
    ...config?.distributed,
    file: configFile === undefined ? "" : basename(configFile),
  });
  if (queue === undefined)
    throw new UsageError(
      'parex worker: which Redis? Pass --redis URL, set PAREX_REDIS_URL, or name it in the config: "distributed": { "redis": "redis://host:6379" }.',
    );
  const slots = slotsFrom(string(values["concurrency"]));
  const lockText = string(values["lock-ms"]);
  const lockMs = lockText === undefined ? undefined : Number(lockText);
  if (lockMs !== undefined && !(Number.isInteger(lockMs) && lockMs >= 1_000))
    throw new UsageError(`parex worker: --lock-ms must be an integer ≥ 1000, got "${lockText}".`);
  const log = (text: string): void => io.stderr(`parex worker: ${text}\n`);
  const graceMs = config?.killGraceMs ?? 5_000;
  // What workers killed with SIGKILL on this machine left running: nobody else would stop it.
  for (const left of await stopLeftAttempts(ledgerDir(), graceMs)) {
    if (left.stopped.length > 0)
      log(
        `stopped what a dead worker (pid ${left.worker}) left running: ${left.stopped.join(", ")}`,
      );
  }
  const ledger = ((): AttemptLedger => {
    try {
      return new AttemptLedger();
    } catch (error) {
      throw new UsageError(`parex worker: ${(error as Error).message}`);
    }
  })();
  // One process executor per run: it marks the run's processes, to find their strays.
  const executors = new Map<string, ProcessExecutor>();
  const executorFor = (job: TaskJob): Executor<Command> => {
    let executor = executors.get(job.runId);
    if (executor === undefined) {
      // The run's coordinator keeps the logs, from the output the worker sends it.
      executor = processExecutor({ runId: job.runId, killGraceMs: graceMs });
      executors.set(job.runId, executor);
      for (const old of executors.keys()) if (executors.size > keptRuns) executors.delete(old);
    }
    return ledger.track(executor, job.runId);
  };
  const worker = await startWorker({
    redisUrl: queue.url,
    redisFrom: queue.from,
    ...(queue.queue === undefined ? {} : { queue: queue.queue }),
    slots,
    ...(lockMs === undefined ? {} : { lockMs }),
    lookup: projectLookup(configFile, io.cwd),
    executorFor,
    log,
  });
  log(
    `${worker.id}: ${slots} slot${slots === 1 ? "" : "s"}, waiting for tasks on queue ${queue.queue ?? "parex"} (Ctrl-C to stop)`,
  );
  const signal = await stopSignal(() => {
    log("killing every running task now");
    for (const executor of executors.values()) executor.killNow();
  });
  log(`${signal}: letting the running tasks end, taking no more (Ctrl-C again kills them)`);
  await worker.close();
  ledger.close();
  log("stopped");
  return 0;
}

/** Resolves with the first SIGINT or SIGTERM; a second SIGINT calls `urgent`. */
function stopSignal(urgent: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | undefined;
    const on = (signal: NodeJS.Signals): void => {
      if (first === undefined) {
        first = signal;
        resolve(signal);
      } else if (signal === "SIGINT") urgent();
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
