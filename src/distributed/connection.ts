import { ParexError } from "../core/index.js";
import type { Redis } from "ioredis";

/** How long parex waits for Redis to answer its first command before saying it cannot reach it. */
const connectTimeoutMs = 10_000;

/** `url` with its password replaced, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

/**
 * A connection to the Redis at `url` (`redis://` or `rediss://`, with a user and password when
 * the server takes them), once it answers. BullMQ needs `maxRetriesPerRequest: null`: a
 * command waits for a reconnect instead of failing, so a restarted Redis loses no work.
 */
export async function connectRedis(url: string, where: string): Promise<Redis> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "redis:" && parsed?.protocol !== "rediss:")
    throw new ParexError(
      "REDIS_UNREACHABLE",
      `Invalid Redis URL ${JSON.stringify(redactedUrl(url))} (${where}): use redis://host:6379, or rediss://user:password@host:6380 for TLS.`,
    );
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    // Reconnection is ioredis's; what a lost connection means is the callers' (reconcile).
    lastError = error;
  });
  const timer = setTimeout(() => redis.disconnect(), connectTimeoutMs);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw redisUnreachable(url, where, (lastError ?? (error as Error)).message);
  } finally {
    clearTimeout(timer);
  }
}

/** The error of a Redis that does not answer: which, where its URL came from, why, and the fix. */
export function redisUnreachable(url: string, where: string, why: string): ParexError {
  return new ParexError(
    "REDIS_UNREACHABLE",
    `Cannot reach Redis at ${redactedUrl(url)} (${where}): ${why.replace(/\.$/, "")}. Start it, or point ${where} at one that runs.`,
  );
}
