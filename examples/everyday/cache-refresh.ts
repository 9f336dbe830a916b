/**
 * Seed 004, pattern 6: serve from the cache, refresh in the background.
 *
 * Instead of the seed's hand-made map with TTLs and fire-and-forget refresh, lru-cache's
 * stale-while-revalidate: `allowStale` answers a stale entry at once while `fetchMethod`
 * refreshes it, and concurrent fetches of one key share one refresh. The refresh runs through
 * parex `run`, so it gets a timeout (cancelled in PostgreSQL, not abandoned) and a circuit
 * breaker: when the store is stuck, three refreshes time out, the breaker opens, and the next
 * refreshes are refused at once without touching the store, while the stale answer is served.
 * The backing store is a report query over a messages table in this machine's PostgreSQL.
 *
 *   npx tsx examples/everyday/cache-refresh.ts [--size MESSAGES]   (default 200,000)
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { LRUCache } from "lru-cache";
import { Breakers, run } from "../../src/index.js";
import type { RunEvent } from "../../src/index.js";
import { size } from "./lib/args.js";
import { comparison, duration, median, thousands, timed } from "./lib/measure.js";
import { openScratch, query } from "./lib/postgres.js";
import type { Scratch } from "./lib/postgres.js";

const messages = size(200_000);
const ttlMs = 60_000;
const breakerResetMs = 300;
/** Generous: twenty refreshes at once on two cores must not time out, a stuck one must. */
const refreshTimeoutMs = 1_000;

interface Summary {
  readonly messages: number;
  readonly lastSentAt: string;
}

/** The cache and its backing store, with what happened to them, in order. */
class SummaryCache {
  readonly log: string[] = [];
  refreshes = 0;
  readonly #inFlight = new Set<Promise<unknown>>();
  /**
   * lru-cache's clock, moved by the recipe, so that an entry turns stale when the recipe says
   * and not when a loaded machine happens to stall. In production, leave lru-cache's default.
   */
  #now = performance.now();
  readonly #breakers = new Breakers();
  readonly #db: Scratch;
  readonly cache: LRUCache<string, Summary>;

  constructor(db: Scratch) {
    this.#db = db;
    this.cache = new LRUCache<string, Summary>({
      max: 1_000,
      ttl: ttlMs,
      allowStale: true,
      allowStaleOnFetchRejection: true,
      perf: { now: () => this.#now },
      // Read the clock on every check: by default lru-cache reuses a reading for 1 ms, and a
      // fast store answers within it, so an entry aged by the recipe could still read fresh.
      ttlResolution: 0,
      fetchMethod: (key, _stale, { signal }) => {
        const refresh = this.#refresh(key, signal);
        const settled = refresh.catch(() => undefined);
        this.#inFlight.add(settled);
        void settled.then(() => this.#inFlight.delete(settled));
        return refresh;
      },
    });
  }

  /**
   * Resolves when no refresh is in flight and lru-cache has stored what they returned (it
   * does so a few microtasks after a refresh resolves; a macrotask later, it has).
   */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Makes every entry stale. */
  age(): void {
    this.#now += ttlMs + 1;
  }

  /** The store's answer through parex: a timeout, and a breaker shared by every refresh. */
  async #refresh(key: string, signal: AbortSignal): Promise<Summary> {
    const report = await run<{ summary: Summary }>(
      {
        summary: {
          run: async ({ signal: attempt }) => {
            this.refreshes++;
            const [row] = await query<Summary>(this.#db.pool, summarySql, {
              params: [Number(key)],
              signal: attempt,
            });
            if (row === undefined) throw new Error(`no conversation ${key}`);
            return row;
          },
          timeoutMs: refreshTimeoutMs,
          breaker: { key: "summary-store", failureThreshold: 3, resetAfterMs: breakerResetMs },
        },
      },
      { signal, breakers: this.#breakers, onEvent: (event) => this.#note(event) },
    );
    if (report.status === "succeeded") {
      this.log.push(`refreshed conversation ${key}: ${report.results.summary.messages} messages`);
      return report.results.summary;
    }
    const { reason = report.status } = report.tasks.summary;
    this.log.push(`refresh of conversation ${key} failed: ${reason}`);
    throw new Error(`refresh of conversation ${key}: ${reason}`);
  }

  #note(event: RunEvent): void {
    if (event.type === "breaker.changed") this.log.push(`breaker ${event.from} → ${event.to}`);
  }
}

/** A report query: no index on conversation_id, so it reads the whole table. */
const summarySql = `select count(*)::int as messages, max(sent_at)::text as "lastSentAt"
                    from messages where conversation_id = $1`;

async function seed(db: Scratch): Promise<void> {
  await db.pool.query(`
    create table messages (id bigserial primary key, conversation_id int not null,
      sent_at timestamptz not null);
    insert into messages (conversation_id, sent_at)
      select 1 + i % 100, timestamptz '2026-12-01' + i * interval '1 s'
      from generate_series(1, ${messages}) i;
    analyze messages;`);
}

async function addMessage(db: Scratch, conversation: number): Promise<void> {
  await db.pool.query("insert into messages (conversation_id, sent_at) values ($1, now())", [
    conversation,
  ]);
}

async function latencies(db: Scratch, store: SummaryCache): Promise<void> {
  const miss = await timed(() => store.cache.fetch("1"));
  const hit = await timed(() => store.cache.fetch("1"));
  await addMessage(db, 1);
  store.age();
  const stale = await timed(() => store.cache.fetch("1"));
  store.log.push(`served a stale answer: ${stale.value?.messages} messages`);
  await store.idle();
  const fresh = await store.cache.fetch("1");
  console.log("latency of one answer:");
  console.log(`  miss        ${duration(miss.ms).padStart(9)}  (waits for the store)`);
  console.log(`  hit         ${duration(hit.ms).padStart(9)}`);
  console.log(`  stale hit   ${duration(stale.ms).padStart(9)}  (answers, then refreshes)`);
  console.log(`  after the refresh: ${fresh?.messages} messages (was ${stale.value?.messages})`);
}

/** The seed's slow path (refresh, then answer) against serving stale while refreshing. */
async function compare(store: SummaryCache): Promise<void> {
  const keys = Array.from({ length: 20 }, (_, i) => String(i + 1));
  for (const key of keys) await store.cache.fetch(key);
  const answer = async (allowStale: boolean): Promise<number> => {
    store.age();
    const times: number[] = [];
    for (const key of keys) {
      times.push((await timed(() => store.cache.fetch(key, { allowStale }))).ms);
    }
    await store.idle();
    return median(times);
  };
  const waited = await answer(false);
  const served = await answer(true);
  console.log(`\n${keys.length} requests for stale entries, median time to answer one:`);
  console.log(comparison(waited, served, ["refresh, then answer", "answer, refresh alongside"]));
  const before = store.refreshes;
  store.age();
  await Promise.all(Array.from({ length: 50 }, () => store.cache.fetch("1")));
  await store.idle();
  console.log(`  50 concurrent requests for one stale entry → ${store.refreshes - before} refresh`);
}

/** The store stuck behind a lock: timeouts open the breaker; stale answers go on. */
async function stuckStore(db: Scratch, store: SummaryCache): Promise<void> {
  console.log(
    `\nthe store stuck behind a lock (refresh timeout ${duration(refreshTimeoutMs)}, breaker after 3):`,
  );
  const from = store.log.length;
  const locker = await db.pool.connect();
  try {
    await locker.query("begin; lock table messages in access exclusive mode");
    for (let request = 1; request <= 4; request++) {
      store.age();
      const queries = store.refreshes;
      const answer = await timed(() => store.cache.fetch("2"));
      await store.idle();
      const queried = store.refreshes > queries ? "store queried" : "store not queried";
      console.log(
        `  request ${request}: answered ${answer.value?.messages} messages in ${duration(answer.ms)}; ${queried}; ${store.log.at(-1) ?? ""}`,
      );
    }
  } finally {
    await locker.query("rollback");
    locker.release();
  }
  await sleep(breakerResetMs); // the breaker lets a trial through once this has passed
  store.age();
  await store.cache.fetch("2");
  await store.idle();
  console.log(`  lock released, ${breakerResetMs} ms later: ${store.log.slice(-2).join("; ")}`);
  console.log(`  in order: ${store.log.slice(from).join("; ")}`);
}

// A connection for each of the twenty refreshes that run at once, and one for the lock.
const db = await openScratch("cache", 24);
try {
  console.log(`seeding ${thousands(messages)} messages in schema ${db.schema} ...`);
  await seed(db);
  const store = new SummaryCache(db);
  await latencies(db, store);
  console.log(`  in order: ${store.log.join("; ")}`);
  await compare(store);
  await stuckStore(db, store);
} catch (error) {
  console.error(`cache-refresh failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
