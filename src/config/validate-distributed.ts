import { describeValue } from "../core/index.js";
import { isRecord, unknownKeys } from "./config-checks.js";
import type { Fail } from "./config-checks.js";

/** The queue of distributed runs a config file names: where it is, never the password. */
export interface DistributedConfig {
  /** `redis://host:6379` or `rediss://user@host:6380`; `--redis` and PAREX_REDIS_URL win over it. */
  readonly redis?: string;
  /** The BullMQ queue's name; `--queue` wins over it. Default "parex". */
  readonly queue?: string;
}

/**
 * `distributed: { redis, queue }`. A password in the URL is refused, saying where it goes
 * instead: a config file is committed, and anyone who reads the repository would have it.
 */
export function validateDistributed(value: unknown, fail: Fail): DistributedConfig {
  if (!isRecord(value)) {
    return fail(
      "distributed",
      `Invalid distributed @: expected { "redis": "redis://host:6379", "queue": "…" }, got ${describeValue(value)}.`,
    );
  }
  unknownKeys(value, ["redis", "queue"], "distributed", fail);
  const { redis, queue } = value;
  if (redis !== undefined) checkRedisUrl(redis, fail);
  if (queue !== undefined && !(typeof queue === "string" && /^[A-Za-z0-9_.-]+$/.test(queue)))
    fail(
      "distributed.queue",
      `Invalid distributed.queue @: expected a name of letters, digits, "_", "." and "-", got ${describeValue(queue)}.`,
    );
  return {
    ...(redis === undefined ? {} : { redis: redis as string }),
    ...(queue === undefined ? {} : { queue }),
  };
}

function checkRedisUrl(value: unknown, fail: Fail): void {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "redis:" && url.protocol !== "rediss:"))
    fail(
      "distributed.redis",
      `Invalid distributed.redis @: expected a redis:// or rediss:// URL like "redis://queue-host:6379", got ${describeValue(value)}.`,
    );
  else if (url.password !== "")
    fail(
      "distributed.redis",
      "The Redis password cannot be in the config file @: the file is committed, and anyone who reads it would have it. Remove it from the URL, and set PAREX_REDIS_URL (the whole URL, with the password) where parex runs.",
    );
}
