/**
 * Seed 004, pattern 5: bulk operations over many records (a scheduler enrolling thousands of
 * contacts into cadences), against this machine's PostgreSQL.
 *
 * 10,000 enrollments are inserted five ways, each in a process of its own so that its memory
 * is its own: one at a time on one connection; `parallelMap` with a limit of 10 on a pool of
 * 10, with a progress line; p-map the same way; the seed's `Promise.all` over every record on
 * the same pool (everything queued in the pool at once); and `Promise.all` with a connection
 * per record (what PostgreSQL says to 10,000 connections at once). Then one record breaks a
 * check constraint: `parallelMap` stops at the first error, while `Promise.all` rejects but
 * lets every other record run on.
 *
 * Forking a backend per connection is slow, so that variant takes the first 1,000 records
 * (--clients).
 *
 *   npx tsx examples/everyday/bulk.ts [--size RECORDS] [--limit N] [--clients N]
 *   (defaults 10,000, 10 and 1,000)
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { count, size } from "./lib/args.js";
import { comparison, duration, thousands } from "./lib/measure.js";
import { openScratch } from "./lib/postgres.js";
import type { Scratch } from "./lib/postgres.js";
import { variants } from "./lib/bulk-contract.js";
import type { Variant, VariantReport } from "./lib/bulk-contract.js";

const records = size(10_000);
const limit = count("limit", 10);
/** Records given a connection each: PostgreSQL forks a backend per connection, so fewer. */
const clients = Math.min(records, count("clients", 1_000));
const variantFile = new URL("./lib/bulk-variant.ts", import.meta.url).pathname;

/** Runs one variant in a child process (with this process's loader: tsx). */
async function runVariant(
  db: Scratch,
  variant: Variant,
  failAt?: number,
): Promise<VariantReport & { rows: number }> {
  await db.pool.query("truncate enrollments");
  const args = ["--variant", variant, "--schema", db.schema, "--size", String(records)];
  args.push("--limit", String(limit), "--clients", String(clients));
  args.push(...(failAt === undefined ? [] : ["--fail-at", String(failAt)]));
  const child = fork(variantFile, args, {
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let report: VariantReport | undefined;
  child.on("message", (message) => (report = message as VariantReport));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0 || report === undefined) throw new Error(`variant ${variant} exited with ${code}`);
  const rows = await db.pool.query<{ n: number }>("select count(*)::int as n from enrollments");
  return { ...report, rows: rows.rows[0]?.n ?? 0 };
}

function errorsOf(report: VariantReport): string {
  const entries = Object.entries(report.errors);
  if (entries.length === 0) return "no errors";
  return entries.map(([message, n]) => `${thousands(n)}× "${message}"`).join(", ");
}

function describe(name: string, r: VariantReport & { rows: number }): void {
  console.log(
    `  ${name.padEnd(36)} ${duration(r.ms).padStart(9)}  peak RSS ${r.peakRssMb} MB (from ${r.baselineRssMb}), heap ${r.peakHeapMb} MB; ${thousands(r.rows)} rows; ${errorsOf(r)}`,
  );
}

async function compareAll(db: Scratch): Promise<void> {
  console.log(`inserting ${thousands(records)} enrollments five ways (limit ${limit}):`);
  console.log("parallelMap, with its progress line:");
  const reports = {} as Record<Variant, VariantReport & { rows: number }>;
  for (const variant of variants) reports[variant] = await runVariant(db, variant);
  for (const variant of variants) describe(variant, reports[variant]);
  const pool = reports["promise-all-pool"];
  const perRecord = reports["promise-all-clients"];
  console.log(
    `  Promise.all on a pool: ${thousands(pool.peakQueued)} queries queued in the pool at once`,
  );
  console.log(
    `  Promise.all with a connection each (the first ${thousands(perRecord.started)} records): PostgreSQL held ${perRecord.peakConnections} connections at most (max_connections ${await maxConnections(db)}), ${duration(perRecord.ms)}`,
  );
  const same = reports["parallelMap"].rows === records && reports["one-at-a-time"].rows === records;
  console.log(`  parallelMap inserted every record, as one-at-a-time did: ${same ? "yes" : "no"}`);
  console.log(comparison(reports["one-at-a-time"].ms, reports["parallelMap"].ms));
  if (!same) throw new Error("parallelMap did not insert every record");
}

async function maxConnections(db: Scratch): Promise<string> {
  const rows = await db.pool.query<{ max_connections: string }>("show max_connections");
  return rows.rows[0]?.max_connections ?? "?";
}

async function firstError(db: Scratch): Promise<void> {
  const failAt = Math.floor(records / 4);
  console.log(`\nrecord ${thousands(failAt)} breaks a check constraint:`);
  const mapped = await runVariant(db, "parallelMap", failAt);
  const all = await runVariant(db, "promise-all-pool", failAt);
  console.log(
    `  parallelMap: stopped with ${errorsOf(mapped)}; ${thousands(mapped.rows)} rows inserted, ${thousands(records - mapped.started)} records never started`,
  );
  console.log(
    `  Promise.all: rejected with ${thousands(all.completedWhenSettled)} rows inserted, but the other records ran on: ${thousands(all.rows)} rows in the end`,
  );
}

const db = await openScratch("bulk", 2);
try {
  await db.pool.query(`create table enrollments (
    contact_id int not null check (contact_id > 0), cadence_id int not null,
    next_run_at timestamptz not null)`);
  await compareAll(db);
  await firstError(db);
} catch (error) {
  console.error(`bulk failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
