import { basename } from "node:path";
import { findConfig, readConfig, validateConfig } from "../config/index.js";
import { queueStatus, redactedUrl } from "../distributed/index.js";
import type { QueueStatus } from "../distributed/index.js";
import { configOption, parseCommand, string, UsageError } from "./args.js";
import { queueFlags, queueFrom } from "./distributed-options.js";
import type { Io } from "./io.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex workers --help`, and the options it parses. */
export const workersDoc: CommandDoc = {
  usage: "parex workers --redis URL [options]",
  about: [
    "Lists the workers listening on a distributed queue (host, pid, slots, running tasks, last",
    "heartbeat) and how many of its jobs wait, run, succeeded and failed.",
  ],
  options: {
    ...queueFlags,
    ...configOption,
    json: { type: "boolean", help: ["print it as JSON"] },
  },
};

/** `parex workers`: returns the exit code. */
export async function workersCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand("workers", argv, workersDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(workersDoc)}\n`);
    return 0;
  }
  const configFile = string(values["config"]) ?? findConfig(io.cwd);
  const config =
    configFile === undefined ? undefined : validateConfig(await readConfig(configFile), configFile);
  const queue = queueFrom("workers", values, io.env, {
    ...config?.distributed,
    file: configFile === undefined ? "" : basename(configFile),
  });
  if (queue === undefined)
    throw new UsageError(
      'parex workers: which Redis? Pass --redis URL, set PAREX_REDIS_URL, or name it in the config: "distributed": { "redis": "redis://host:6379" }.',
    );
  const status = await queueStatus({
    redisUrl: queue.url,
    redisFrom: queue.from,
    ...(queue.queue === undefined ? {} : { queue: queue.queue }),
  });
  if (values["json"] === true) io.stdout(`${JSON.stringify(status, null, 2)}\n`);
  else io.stdout(renderStatus(status, redactedUrl(queue.url), Date.now()));
  return 0;
}

/** The status as a table of workers and a line of job counts. */
export function renderStatus(status: QueueStatus, where: string, now: number): string {
  const { jobs } = status;
  const lines = [
    `queue ${status.queue} on ${where}: ${status.workers.length} worker${status.workers.length === 1 ? "" : "s"}`,
  ];
  if (status.workers.length > 0) {
    const rows = [
      ["worker", "slots", "running", "heartbeat"],
      ...status.workers.map((w) => [
        w.id,
        String(w.slots),
        String(w.running),
        `${((now - w.at) / 1000).toFixed(1)} s ago`,
      ]),
    ];
    const widths =
      rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
    for (const row of rows)
      lines.push(
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd()}`,
      );
  }
  lines.push(
    `jobs: ${jobs.waiting + jobs.prioritized} waiting, ${jobs.active} running, ${jobs.delayed} delayed, ${jobs.completed} completed, ${jobs.failed} failed (kept a day; failed a week)`,
  );
  return `${lines.join("\n")}\n`;
}
