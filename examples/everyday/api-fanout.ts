/**
 * Seed 004, pattern 4: API calls fanned out — payment provider, database, webhook.
 *
 * A local HTTP server on 127.0.0.1 (a free port) stands in for the payment API: a charge takes
 * 80 ms and every fourth payment's first attempt answers 503; a webhook takes 40 ms, but the
 * receiver of every tenth payment answers only after 1.5 s. Each payment charges the card,
 * saves a pending row in PostgreSQL and sends "payment.initiated" at once, then confirms the
 * row with the charge's id. Through `run`: the charge has a timeout, retries and a breaker;
 * the webhook has a timeout, is optional and falls back to an outbox row for later delivery;
 * aborting the request cancels everything still in flight. The seed's hand-written
 * `Promise.all` runs alongside for comparison.
 *
 *   npx tsx examples/everyday/api-fanout.ts [--size PAYMENTS]   (default 40)
 */
import { run } from "../../src/index.js";
import type { RunReport, TaskDefinition } from "../../src/index.js";
import { size } from "./lib/args.js";
import { comparison, duration, timed } from "./lib/measure.js";
import { openScratch, query } from "./lib/postgres.js";
import type { Scratch } from "./lib/postgres.js";
import { startPaymentApi } from "./lib/payment-api.js";
import type { PaymentApi } from "./lib/payment-api.js";

const payments = size(40);
const stop = new AbortController();
process.once("SIGINT", () => stop.abort(new Error("interrupted (Ctrl-C)")));

interface Charge {
  readonly id: string;
}
type Payment = { charge: Charge; save: string; notify: string; confirm: string };

async function post<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!answer.ok) throw new Error(`POST ${new URL(url).pathname} answered ${answer.status}`);
  return (await answer.json()) as T;
}

/** One payment as a graph: charge ‖ save ‖ notify, then confirm. */
function paymentTasks(
  api: PaymentApi,
  db: Scratch,
  id: string,
): { [K in keyof Payment]: TaskDefinition<Payment, K> } {
  const amount = 1_000 + (id.length % 7) * 250;
  return {
    charge: {
      run: ({ signal }) => post<Charge>(`${api.url}/charges`, { id, amount }, signal),
      timeoutMs: 1_000,
      retry: { attempts: 3, backoff: "fixed", initialDelayMs: 50 },
      breaker: { key: "payment-api", failureThreshold: 5, resetAfterMs: 5_000 },
    },
    save: async ({ signal }) => {
      const sql = "insert into payments (id, amount, status) values ($1, $2, 'pending')";
      await query(db.pool, sql, { params: [id, amount], signal });
      return "pending";
    },
    notify: {
      run: async ({ signal }) => {
        await post(`${api.url}/webhooks`, { event: "payment.initiated", id }, signal);
        return "delivered";
      },
      timeoutMs: 500,
      optional: true,
      fallback: async ({ signal }) => {
        const sql = "insert into outbox (payment_id, event) values ($1, 'payment.initiated')";
        await query(db.pool, sql, { params: [id], signal });
        return "queued in the outbox";
      },
    },
    confirm: {
      dependsOn: ["charge", "save"],
      run: async ({ results, signal }) => {
        const sql = "update payments set status = 'paid', charge_id = $2 where id = $1";
        await query(db.pool, sql, { params: [id, results.charge.id], signal });
        return "paid";
      },
    },
  };
}

/** The seed's processPaymentFast, as written there: no timeout, no retry, no fallback. */
async function handWritten(api: PaymentApi, db: Scratch, id: string): Promise<void> {
  const amount = 1_000 + (id.length % 7) * 250;
  const [charge] = await Promise.all([
    post<Charge>(`${api.url}/charges`, { id, amount }),
    db.pool.query("insert into payments (id, amount, status) values ($1, $2, 'pending')", [
      id,
      amount,
    ]),
    post(`${api.url}/webhooks`, { event: "payment.initiated", id }),
  ]);
  await db.pool.query("update payments set status = 'paid', charge_id = $2 where id = $1", [
    id,
    charge.id,
  ]);
}

async function pass(api: PaymentApi, db: Scratch, name: string, concurrency: number) {
  return timed(async () => {
    const reports: RunReport<Payment>[] = [];
    for (let i = 0; i < payments; i++) {
      const tasks = paymentTasks(api, db, `${name}-${i}`);
      reports.push(await run<Payment>(tasks, { concurrency, signal: stop.signal }));
    }
    return reports;
  });
}

async function seedPass(api: PaymentApi, db: Scratch) {
  return timed(async () => {
    const failures: string[] = [];
    for (let i = 0; i < payments; i++) {
      await handWritten(api, db, `seed-${i}`).catch((error: unknown) =>
        failures.push(error instanceof Error ? error.message : String(error)),
      );
    }
    return failures;
  });
}

async function count(db: Scratch, sql: string, prefix: string): Promise<number> {
  const rows = await db.pool.query<{ n: number }>(sql, [`${prefix}-%`]);
  return rows.rows[0]?.n ?? 0;
}

async function compare(api: PaymentApi, db: Scratch): Promise<void> {
  console.log(
    `${payments} payments, each: charge (80 ms) ‖ save (PostgreSQL) ‖ notify (webhook, 40 ms), then confirm`,
  );
  const sequential = await pass(api, db, "one", 1);
  const parallel = await pass(api, db, "par", Infinity);
  const retried = parallel.value.filter((r) => r.tasks.charge.attempts > 1).length;
  const queued = parallel.value.filter((r) => r.tasks.notify.fallbackUsed).length;
  const paid = "select count(*)::int as n from payments where status = 'paid' and id like $1";
  const outbox = "select count(*)::int as n from outbox where payment_id like $1";
  console.log(
    `  parex: ${await count(db, paid, "par")} of ${payments} paid; ${retried} charges retried after a 503; ${queued} webhooks timed out → ${await count(db, outbox, "par")} in the outbox`,
  );
  console.log(
    `  one at a time: ${await count(db, paid, "one")} of ${payments} paid, the same work on one slot`,
  );
  console.log(comparison(sequential.ms, parallel.ms));
  const seed = await seedPass(api, db);
  const reasons = [...new Set(seed.value)].join("; ") || "none";
  console.log(
    `  the seed's Promise.all: ${await count(db, paid, "seed")} of ${payments} paid in ${duration(seed.ms)}, ${seed.value.length} failed (${reasons}); it waited for each slow webhook`,
  );
}

/** A request aborted while the charge is in flight: nothing is left running. */
async function abortMidway(api: PaymentApi, db: Scratch): Promise<void> {
  const request = new AbortController();
  const closedBefore = api.closedEarly();
  const charging = api.nextCharge();
  const running = run<Payment>(paymentTasks(api, db, "aborted-0"), { signal: request.signal });
  await charging;
  request.abort(new Error("the client went away"));
  const report = await running;
  const closed = await api.waitForClosedEarly(closedBefore + 1, 2_000);
  const row = await db.pool.query<{ status: string }>(
    "select status from payments where id = 'aborted-0'",
  );
  console.log(`\na request aborted while its charge was in flight`);
  console.log(`  run: ${report.status}; confirm: ${report.tasks.confirm.status}`);
  console.log(
    `  the payment API saw the charge's connection closed before it answered: ${closed ? "yes" : "no"}`,
  );
  console.log(`  the payment row: ${row.rows[0]?.status ?? "never written"}`);
  if (!closed) throw new Error("the aborted charge request was left running");
}

const db = await openScratch("payments", 10);
const api = await startPaymentApi();
try {
  await db.pool.query(`
    create table payments (id text primary key, amount int not null, status text not null,
      charge_id text);
    create table outbox (payment_id text not null, event text not null);`);
  await compare(api, db);
  await abortMidway(api, db);
} catch (error) {
  console.error(`api-fanout failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await api.close();
  await db.close();
}
