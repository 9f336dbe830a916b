import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./free-port.js";

/** A redis-server of a test's own, on a free port of 127.0.0.1, that the test may restart. */
export interface TestRedis {
  readonly url: string;
  /** Stops it (SIGTERM: with persistence, it writes its append-only file first) and starts it again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free port: with `persistent`, an append-only file in `dir`
 * written on every command (nothing acknowledged is lost across a restart); without, nothing on
 * disk, as the machine's Redis (a restart empties it).
 */
export async function startRedisServer(options: {
  readonly dir: string;
  readonly persistent: boolean;
}): Promise<TestRedis> {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    options.dir,
    "--save",
    "",
    ...(options.persistent
      ? ["--appendonly", "yes", "--appendfsync", "always"]
      : ["--appendonly", "no"]),
  ];
  let server = await start(args);
  const stop = async (): Promise<void> => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      server = await start(args);
    },
    stop,
  };
}

/** A redis-server, once it says it accepts connections. */
function start(args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    let said = "";
    server.stdout.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("Ready to accept connections")) resolve(server);
    });
    server.once("error", reject);
    server.once("exit", (code) =>
      reject(new Error(`redis-server exited with ${String(code)} before it was ready:\n${said}`)),
    );
  });
}

/** Whether the Redis at `url` answers. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
