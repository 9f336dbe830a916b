/**
 * One way of inserting the bulk recipe's records, run in a process of its own (forked by
 * bulk.ts) so that its memory is its own: it reports its time, peak memory, errors and what
 * the pool and PostgreSQL saw, over IPC.
 *
 *   --variant one-at-a-time | parallelMap | p-map | promise-all-pool | promise-all-clients
 *   --schema NAME --size N [--fail-at INDEX] [--limit N]
 *   (promise-all-clients inserts only the first --clients records)
 */
import { performance } from "node:perf_hooks";
import pMap from "p-map";
import pg from "pg";
import { parallelMap } from "../../../src/index.js";
import { count, option } from "./args.js";
import { variants } from "./bulk-contract.js";
import type { Variant, VariantReport } from "./bulk-contract.js";
import { connection } from "./postgres.js";

const variant = option("variant") as Variant;
const schema = option("schema") ?? "";
const records = variant === "promise-all-clients" ? count("clients", 1_000) : count("size", 10_000);
const failAt = count("fail-at", -1);
const concurrency = count("limit", 10);
const config = { ...connection, options: `-c search_path=${schema}` };
const insert = `insert into enrollments (contact_id, cadence_id, next_run_at)
                values ($1, $2, now() + $3 * interval '1 hour')`;
/** Record i: its contact, cadence and delay; the record at --fail-at breaks the check. */
const params = (i: number): number[] => [i === failAt ? -1 : i + 1, 1 + (i % 50), i % 72];

const memory = { rss: 0, heap: 0 };
const sample = (): void => {
  const { rss, heapUsed } = process.memoryUsage();
  memory.rss = Math.max(memory.rss, rss);
  memory.heap = Math.max(memory.heap, heapUsed);
};

/** Records that failed, by error message. */
const errors: Record<string, number> = {};
let completed = 0;
let started = 0;

/** Record `i` through `op`: counted when it completes, its error noted when it fails. */
async function one(i: number, op: (values: number[]) => Promise<unknown>): Promise<void> {
  started++;
  try {
    await op(params(i));
    completed++;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors[message] = (errors[message] ?? 0) + 1;
    throw error;
  }
}

const progressEvery = Math.max(1, Math.floor(records / 10));
function progress(): void {
  if (completed % progressEvery !== 0 && completed !== records) return;
  const line = `  progress ${completed.toLocaleString("en-US")}/${records.toLocaleString("en-US")} (${Math.round((completed / records) * 100)} %)`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${completed === records ? "\n" : ""}`);
  else console.log(line);
}

async function withPool<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ ...config, max: concurrency });
  pool.on("error", () => undefined);
  const timer = setInterval(() => (peakQueued = Math.max(peakQueued, pool.waitingCount)), 5);
  try {
    return await fn(pool);
  } finally {
    clearInterval(timer);
    await pool.end();
  }
}

/**
 * `Promise.all` over every record, as the seed writes it; it rejects at the first error while
 * the other records go on, so this waits for them too before the pool may end. `settled` is
 * told how many had completed when Promise.all itself settled.
 */
async function all(op: (i: number) => Promise<void>): Promise<void> {
  const promises = Array.from({ length: records }, (_, i) => op(i));
  try {
    await Promise.all(promises);
  } finally {
    completedWhenSettled = completed;
    await Promise.allSettled(promises);
  }
}

let peakQueued = 0;
let completedWhenSettled: number | undefined;
const inserts: Record<Variant, () => Promise<unknown>> = {
  "one-at-a-time": async () => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      for (let i = 0; i < records; i++) await one(i, (values) => client.query(insert, values));
    } finally {
      await client.end();
    }
  },
  parallelMap: () =>
    withPool((pool) =>
      parallelMap(
        { length: records },
        async (_, i) => {
          await one(i, (values) => pool.query(insert, values));
          progress();
        },
        { concurrency },
      ),
    ),
  "p-map": () =>
    withPool((pool) =>
      pMap(indices(records), (i) => one(i, (values) => pool.query(insert, values)), {
        concurrency,
      }),
    ),
  "promise-all-pool": () =>
    withPool((pool) => all((i) => one(i, (values) => pool.query(insert, values)))),
  "promise-all-clients": () =>
    all((i) =>
      one(i, async (values) => {
        const client = new pg.Client(config);
        client.on("error", () => undefined);
        try {
          await client.connect();
          await client.query(insert, values);
        } finally {
          await client.end().catch(() => undefined);
        }
      }),
    ),
};

function* indices(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Counts PostgreSQL's connections to the database every 10 ms, on a connection opened first. */
async function watchConnections(): Promise<{ stop: () => Promise<number> }> {
  const monitor = new pg.Client(connection);
  await monitor.connect();
  let peak = 0;
  const running = { value: true };
  const loop = (async () => {
    while (running.value) {
      const rows = await monitor.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database()",
      );
      peak = Math.max(peak, rows.rows[0]?.n ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      running.value = false;
      await loop;
      await monitor.end();
      return peak;
    },
  };
}

async function main(): Promise<VariantReport> {
  const baselineRss = process.memoryUsage().rss;
  const sampler = setInterval(sample, 5);
  const connections = await watchConnections();
  const start = performance.now();
  try {
    await inserts[variant]();
  } catch {
    // noted per record by `one`
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  sample();
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    ms,
    baselineRssMb: mb(baselineRss),
    peakRssMb: mb(memory.rss),
    peakHeapMb: mb(memory.heap),
    errors,
    peakQueued,
    peakConnections: await connections.stop(),
    completedWhenSettled: completedWhenSettled ?? completed,
    completed,
    started,
  };
}

if (!variants.includes(variant)) {
  console.error(`Expected \`--variant\` to be one of ${variants.join(", ")}, got \`${variant}\``);
  process.exit(2);
}
process.send?.(await main());
