/**
 * Seed 004, pattern 1: batching independent awaits.
 *
 *   A. Reading several files: this checkout's source files, one at a time, then through
 *      `parallelMap` with a limit (a bare `Promise.all` over 100,000 paths opens 100,000 files
 *      at once and fails with EMFILE; a limit keeps the descriptors bounded).
 *   B. An initialisation flow (the seed's startServer): an HTTP server listening, the config
 *      read, PostgreSQL connected, Redis connected, templates loaded, then the routes mounted
 *      and checked with a real request. Run through `run`, each step starts as soon as what it
 *      needs is there; the database step has a timeout and retries, Redis is optional with a
 *      fallback, so the server starts without its cache when Redis is down.
 *
 *   npx tsx examples/everyday/batch-awaits.ts [--size FILES] [--redis redis://127.0.0.1:6379]
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { parallelMap, run } from "../../src/index.js";
import type { RunReport } from "../../src/index.js";
import { option, size } from "./lib/args.js";
import { connection } from "./lib/postgres.js";
import { comparison, duration, interleaved, median, timed } from "./lib/measure.js";

const root = new URL("../../", import.meta.url).pathname;
const files = readdirSync(join(root, "src"), { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".ts"))
  .sort()
  .map((file) => join(root, "src", file));
const fileCount = Math.min(size(files.length), files.length);
const redisUrl = option("redis") ?? process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
const stop = new AbortController();
process.once("SIGINT", () => stop.abort(new Error("interrupted (Ctrl-C)")));

const lines = (text: string): number => text.split("\n").length;

async function readFiles(): Promise<void> {
  const chosen = files.slice(0, fileCount);
  console.log(
    `A. reading ${chosen.length} source files of this checkout (median of 5 alternating rounds)`,
  );
  const { a: sequential, b: parallel } = await interleaved(
    5,
    async () => {
      const counts: number[] = [];
      for (const file of chosen) counts.push(lines(await readFile(file, "utf8")));
      return counts;
    },
    () =>
      parallelMap(chosen, async (file) => lines(await readFile(file, "utf8")), {
        concurrency: 16,
        signal: stop.signal,
      }),
  );
  const same = JSON.stringify(sequential.value) === JSON.stringify(parallel.value);
  const total = parallel.value.reduce((sum, n) => sum + n, 0);
  console.log(`  ${total} lines read; parallel result equals sequential: ${same ? "yes" : "no"}`);
  console.log(comparison(sequential.ms, parallel.ms));
  if (!same) throw new Error("the parallel reads differ from the sequential ones");
}

interface Health {
  readonly app: string;
  readonly database: string;
  readonly cache: string;
  readonly templates: number;
}

type Startup = {
  http: number;
  config: { name: string; version: string };
  database: string;
  cache: string;
  templates: number;
  routes: Health;
};

/** The resources a start-up opened, to be closed whatever happened. */
interface Opened {
  server: Server;
  pool?: pg.Pool;
  redis?: Redis;
  health?: Health;
}

function listen(opened: Opened): Promise<number> {
  opened.server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    if (request.url === "/health" && opened.health) response.end(JSON.stringify(opened.health));
    else response.writeHead(503).end('{"starting":true}');
  });
  return new Promise((resolve, reject) => {
    opened.server.once("error", reject);
    opened.server.listen(0, "127.0.0.1", () => {
      const address = opened.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

async function connectRedis(opened: Opened, signal: AbortSignal): Promise<string> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  opened.redis = redis;
  redis.on("error", () => undefined);
  signal.addEventListener("abort", () => redis.disconnect(), { once: true });
  await redis.connect();
  return `redis ${await redis.ping()}`;
}

/** The seed's startServer as a parex graph: each step waits only for what it needs. */
function startServer(opened: Opened, concurrency: number): Promise<RunReport<Startup>> {
  return run<Startup>(
    {
      http: () => listen(opened),
      config: async () => {
        const text = await readFile(join(root, "package.json"), "utf8");
        const { name, version } = JSON.parse(text) as { name: string; version: string };
        return { name, version };
      },
      database: {
        run: async ({ signal }) => {
          opened.pool ??= new pg.Pool({ ...connection, max: 2 });
          opened.pool.on("error", () => undefined);
          const rows = await opened.pool.query<{ v: string }>("select version() as v");
          signal.throwIfAborted();
          return (rows.rows[0]?.v ?? "").split(" ").slice(0, 2).join(" ");
        },
        timeoutMs: 5_000,
        retry: { attempts: 3, backoff: "fixed", initialDelayMs: 200 },
      },
      cache: {
        run: ({ signal }) => connectRedis(opened, signal),
        timeoutMs: 1_000,
        optional: true,
        fallback: "none: started without the cache (Redis unavailable)",
      },
      templates: async () => {
        const dir = join(root, "examples");
        const readmes = readdirSync(dir, { recursive: true })
          .map(String)
          .filter((file) => file.endsWith("README.md"));
        const texts = await Promise.all(readmes.map((file) => readFile(join(dir, file), "utf8")));
        return texts.length;
      },
      routes: {
        dependsOn: ["http", "config", "database", "cache", "templates"],
        run: async ({ results, signal }) => {
          opened.health = {
            app: `${results.config.name} ${results.config.version}`,
            database: results.database,
            cache: results.cache,
            templates: results.templates,
          };
          const answer = await fetch(`http://127.0.0.1:${results.http}/health`, { signal });
          if (!answer.ok) throw new Error(`GET /health answered ${answer.status}`);
          return (await answer.json()) as Health;
        },
      },
    },
    { concurrency, signal: stop.signal },
  );
}

async function close(opened: Opened): Promise<void> {
  await new Promise((resolve) => opened.server.close(resolve));
  await opened.pool?.end();
  opened.redis?.disconnect();
}

async function startUp(concurrency: number): Promise<{ ms: number; report: RunReport<Startup> }> {
  const opened: Opened = { server: createServer() };
  try {
    const { ms, value } = await timed(() => startServer(opened, concurrency));
    return { ms, report: value };
  } finally {
    await close(opened);
  }
}

async function initialise(): Promise<void> {
  const rounds = 3;
  console.log(
    `\nB. an initialisation flow: http, config, database, cache, templates, then routes (median of ${rounds} alternating rounds)`,
  );
  const times: [number[], number[]] = [[], []];
  let parallel: RunReport<Startup> | undefined;
  for (let round = 0; round < rounds; round++) {
    const one = await startUp(1);
    const all = await startUp(Infinity);
    for (const report of [one.report, all.report]) expectStarted(report);
    times[0].push(one.ms);
    times[1].push(all.ms);
    parallel = all.report;
  }
  const report = parallel;
  if (report?.status !== "succeeded") return;
  console.log(`  GET /health → ${JSON.stringify(report.results.routes)}`);
  const cache = report.tasks.cache;
  console.log(
    `  cache: ${cache.fallbackUsed ? `fallback used after ${cache.attempts} attempt(s)` : "connected"}`,
  );
  console.log(
    `  critical path: ${report.summary.criticalPath.join(" → ")} (${duration(report.summary.criticalPathMs)})`,
  );
  console.log(comparison(median(times[0]), median(times[1])));
}

function expectStarted(report: RunReport<Startup>): void {
  if (report.status === "succeeded") return;
  const failed = Object.values(report.tasks).filter((t) => t.status !== "succeeded");
  const why = failed.map((t) => `${t.id} ${t.status} (${t.error?.message ?? t.reason ?? ""})`);
  throw new Error(`start-up ${report.status}: ${why.join(", ")}`);
}

try {
  await readFiles();
  await initialise();
} catch (error) {
  console.error(`batch-awaits failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
