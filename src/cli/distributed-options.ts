import { UsageError, string } from "./args.js";
import type { OptionDocs } from "./usage.js";

/** The options that point a run or a worker at a queue. */
export const queueFlags: OptionDocs = {
  redis: {
    type: "string",
    value: "URL",
    help: ["Redis of the distributed queue: redis:// or rediss:// (default: $PAREX_REDIS_URL)"],
  },
  queue: {
    type: "string",
    value: "NAME",
    help: ["the queue's name, to keep several projects apart on one Redis (default: parex)"],
  },
};

/** Where the queue is, and where the command line or environment said so. */
export interface QueueChoice {
  readonly url: string;
  /** `--redis` or `PAREX_REDIS_URL`, for messages. */
  readonly from: string;
  readonly queue: string | undefined;
}

/**
 * The queue `--redis`, `PAREX_REDIS_URL` or the config's `distributed.redis` names (the first
 * given), and `--queue` or `distributed.queue`; undefined for none.
 */
export function queueFrom(
  command: string,
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  configured: { readonly redis?: string; readonly queue?: string; readonly file: string },
): QueueChoice | undefined {
  const flag = string(values["redis"]);
  const fromEnv = env["PAREX_REDIS_URL"];
  const queueFlag = string(values["queue"]);
  if (queueFlag !== undefined && !/^[A-Za-z0-9_.-]+$/.test(queueFlag))
    throw new UsageError(
      `parex ${command}: --queue "${queueFlag}" may hold only letters, digits, "_", "." and "-".`,
    );
  const queue = queueFlag ?? configured.queue;
  if (flag !== undefined) return { url: flag, from: "--redis", queue };
  if (fromEnv !== undefined && fromEnv !== "")
    return { url: fromEnv, from: "PAREX_REDIS_URL", queue };
  if (configured.redis !== undefined)
    return { url: configured.redis, from: `${configured.file}'s distributed.redis`, queue };
  if (queueFlag !== undefined)
    throw new UsageError(
      `parex ${command}: --queue ${queueFlag} names a queue on Redis: add --redis URL, or set PAREX_REDIS_URL.`,
    );
  return undefined;
}
