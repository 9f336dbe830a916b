/**
 * Seed 004, pattern 3: independent database queries, against this machine's PostgreSQL.
 *
 * A company dashboard needs four aggregates over its messages; none needs another's answer.
 * One connection answers one query at a time, so they run one after another on one client,
 * then through `run` on a pool of four, each with a timeout. What parex adds: a query stuck
 * behind a lock times out, is cancelled in PostgreSQL itself (not left running while the
 * caller walks away), and the dashboard answers without that panel (strategy "partial",
 * a fallback) instead of hanging.
 *
 *   npx tsx examples/everyday/db-queries.ts [--size MESSAGES]   (default 200,000)
 */
import pg from "pg";
import { run } from "../../src/index.js";
import type { TaskDefinition } from "../../src/index.js";
import { size } from "./lib/args.js";
import { comparison, interleaved, thousands } from "./lib/measure.js";
import { openScratch, query } from "./lib/postgres.js";
import type { Scratch } from "./lib/postgres.js";

const messages = size(200_000);
const stop = new AbortController();
process.once("SIGINT", () => stop.abort(new Error("interrupted (Ctrl-C)")));

/** The dashboard's panels: independent aggregates over the same messages. */
const panels = {
  perDay: `select date_trunc('day', sent_at)::date::text as day, count(*)::int as n
            from messages group by 1 order by 1`,
  topContacts: `select c.name, count(*)::int as n from messages m
                join conversations v on v.id = m.conversation_id
                join contacts c on c.id = v.contact_id
                group by c.name order by n desc, c.name limit 5`,
  replyLength: `select round(avg(length(body)))::int as avg, max(length(body))::int as max
                from messages where from_contact = false`,
  unanswered: `select count(*)::int as n from conversations v where not exists
               (select 1 from messages m where m.conversation_id = v.id and not m.from_contact)`,
} as const;
type Panel = keyof typeof panels;
type Dashboard = Record<Panel, unknown[]>;

async function seed(db: Scratch): Promise<void> {
  const conversations = Math.max(1, Math.floor(messages / 20));
  await db.pool.query(`
    create table contacts (id int primary key, name text not null);
    create table conversations (id int primary key, contact_id int not null references contacts);
    create table messages (id bigserial primary key, conversation_id int not null,
      from_contact boolean not null, body text not null, sent_at timestamptz not null);
    insert into contacts select i, 'contact ' || i from generate_series(1, 500) i;
    insert into conversations select i, 1 + i % 500 from generate_series(1, ${conversations}) i;
    insert into messages (conversation_id, from_contact, body, sent_at)
      select 1 + (i * 7919) % ${conversations}, i % 3 = 0, repeat('word ', 1 + i % 40),
             timestamptz '2026-11-01' + (i % 30) * interval '1 day' + (i % 86400) * interval '1 s'
      from generate_series(1, ${messages}) i;
    analyze;`);
}

function dashboardTasks(db: Scratch): { [K in Panel]: TaskDefinition<Dashboard, K> } {
  const task = (panel: Panel) => ({
    run: ({ signal }: { signal: AbortSignal }) => query(db.pool, panels[panel], { signal }),
    timeoutMs: 30_000,
  });
  return {
    perDay: task("perDay"),
    topContacts: task("topContacts"),
    replyLength: task("replyLength"),
    unanswered: task("unanswered"),
  };
}

async function oneAtATime(client: pg.PoolClient): Promise<Dashboard> {
  const answers: Partial<Dashboard> = {};
  for (const panel of Object.keys(panels) as Panel[]) {
    answers[panel] = (await client.query(panels[panel])).rows;
  }
  return answers as Dashboard;
}

async function inParallel(db: Scratch): Promise<Dashboard> {
  const report = await run<Dashboard>(dashboardTasks(db), { signal: stop.signal });
  if (report.status !== "succeeded") throw new Error(`dashboard ${report.status}`);
  return report.results;
}

async function compare(db: Scratch): Promise<void> {
  const client = await db.pool.connect();
  try {
    // Warms PostgreSQL's buffers and opens the pool's connections, so neither side pays for them.
    await oneAtATime(client);
    await inParallel(db);
    const { a, b } = await interleaved(
      3,
      () => oneAtATime(client),
      () => inParallel(db),
    );
    const same = JSON.stringify(a.value) === JSON.stringify(b.value);
    console.log(`  busiest contact: ${JSON.stringify(b.value.topContacts[0])}`);
    console.log(`  parallel result equals sequential: ${same ? "yes" : "no"}`);
    console.log(comparison(a.ms, b.ms));
    if (!same) throw new Error("the parallel answers differ from the sequential ones");
  } finally {
    client.release();
  }
}

/** A fifth panel whose table another transaction holds locked: parex times it out. */
async function stuckPanel(db: Scratch): Promise<void> {
  await db.pool.query("create table invoices (id int primary key, total numeric not null)");
  const locker = await db.pool.connect();
  let statement: Promise<string> | undefined;
  try {
    await locker.query("begin; lock table invoices in access exclusive mode");
    const report = await run<Dashboard & { invoices: unknown[] }>(
      {
        ...dashboardTasks(db),
        invoices: {
          run: ({ signal }) => {
            const rows = query(db.pool, "select sum(total) from invoices", { signal });
            statement = rows.then(
              () => "it finished",
              (error: unknown) => (error instanceof Error ? error.message : String(error)),
            );
            return rows;
          },
          timeoutMs: 300,
          optional: true,
          fallback: [{ unavailable: "invoices are being reconciled; try again shortly" }],
        },
      },
      { strategy: "partial", signal: stop.signal },
    );
    const invoices = report.tasks.invoices;
    const span = invoices.spans[0];
    const gaveUp = span
      ? `gave up after ${(span.end - span.start).toFixed(0)} ms`
      : "never started";
    console.log(
      `  invoices panel: ${gaveUp}, fallback used: ${invoices.fallbackUsed ? "yes" : "no"}`,
    );
    console.log(
      `  dashboard: ${report.status}, ${Object.keys(report.results).length} panels answered`,
    );
    // The task ended at its timeout; the statement's own end is what PostgreSQL says.
    console.log(`  the stuck statement: ${(await statement) ?? "never sent"}`);
    const running = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
       where query = 'select sum(total) from invoices' and state = 'active'`,
    );
    console.log(`  invoice queries still running in PostgreSQL: ${running.rows[0]?.n ?? "?"}`);
  } finally {
    await locker.query("rollback");
    locker.release();
  }
}

// Four panels, the stuck one and the transaction holding the lock, each on its own connection.
const db = await openScratch("queries", 6);
try {
  console.log(`seeding ${thousands(messages)} messages in schema ${db.schema} ...`);
  await seed(db);
  console.log("four independent dashboard queries (median of 3 alternating rounds)");
  await compare(db);
  console.log("\na fifth panel whose table is locked by another transaction (timeout 300 ms)");
  await stuckPanel(db);
} catch (error) {
  console.error(`db-queries failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
