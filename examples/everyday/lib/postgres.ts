/**
 * The machine's PostgreSQL for the recipes: a pool on a schema of the recipe's own (created on
 * open, dropped on close), and queries that a parex timeout or abort really cancels in the
 * server instead of walking away from them.
 */
import pg from "pg";
import type { PoolClient } from "pg";

/** 127.0.0.1:5432, database `test`, user `postgres` (trust auth); PG* variables override. */
export const connection: pg.ClientConfig = {
  host: process.env["PGHOST"] ?? "127.0.0.1",
  port: Number(process.env["PGPORT"] ?? 5432),
  database: process.env["PGDATABASE"] ?? "test",
  user: process.env["PGUSER"] ?? "postgres",
};

/** A pool whose connections use the schema `schema`, which exists until `close`. */
export interface Scratch {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** Connection settings whose search path is the schema (for clients of their own). */
  readonly config: pg.ClientConfig;
  /** Drops the schema and everything in it, and ends the pool. */
  readonly close: () => Promise<void>;
}

/** Creates a schema named after `label` and this process, and a pool of `max` on it. */
export async function openScratch(label: string, max: number): Promise<Scratch> {
  const schema = `recipe_${label}_${process.pid}_${Date.now().toString(36)}`;
  const config = { ...connection, options: `-c search_path=${schema}` };
  const pool = new pg.Pool({ ...config, max });
  // An idle client that errors (the server restarted) must not crash the recipe.
  pool.on("error", () => undefined);
  try {
    await pool.query(`create schema ${schema}`);
  } catch (error) {
    await pool.end();
    throw new Error(
      `Could not reach PostgreSQL at ${connection.host}:${connection.port} (database ${connection.database}, user ${connection.user}): ${String(error)}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      { cause: error },
    );
  }
  const close = async (): Promise<void> => {
    try {
      await pool.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await pool.end();
    }
  };
  return { pool, schema, config, close };
}

/** A statement cancelled in PostgreSQL because its signal aborted; `cause` is the signal's reason. */
export class Cancelled extends Error {
  override readonly name = "Cancelled";
  constructor(
    /** What PostgreSQL answered, e.g. "canceling statement due to user request". */
    readonly serverMessage: string,
    cause: unknown,
  ) {
    super(`cancelled in PostgreSQL: ${serverMessage}`, { cause });
  }
}

const pids = new WeakMap<PoolClient, number>();

async function backendPid(client: PoolClient): Promise<number> {
  let pid = pids.get(client);
  if (pid === undefined) {
    const result = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    pid = result.rows[0]?.pid ?? 0;
    pids.set(client, pid);
  }
  return pid;
}

/** Asks PostgreSQL to cancel what backend `pid` runs, on a connection of its own. */
async function cancelBackend(pid: number): Promise<void> {
  const client = new pg.Client(connection);
  try {
    await client.connect();
    await client.query("select pg_cancel_backend($1)", [pid]);
  } finally {
    await client.end();
  }
}

/**
 * `sql` on a client of `pool`. When `signal` aborts, the statement is cancelled in the server
 * (pg_cancel_backend) and this rejects with a {@link Cancelled} error carrying what the server
 * answered; the client goes back to the pool only once the cancel is done, so it can never
 * cancel someone else's statement.
 */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  options: { readonly params?: readonly unknown[]; readonly signal?: AbortSignal } = {},
): Promise<R[]> {
  const { params = [], signal } = options;
  signal?.throwIfAborted();
  const client = await pool.connect();
  let cancelling: Promise<void> | undefined;
  try {
    const pid = await backendPid(client);
    // Aborted while waiting for a client of the pool: the statement is never sent.
    signal?.throwIfAborted();
    const cancel = (): void => {
      cancelling = cancelBackend(pid).catch(() => undefined);
    };
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      return (await client.query<R>(sql, params as unknown[])).rows;
    } catch (error) {
      if (signal?.aborted !== true) throw error;
      throw new Cancelled(error instanceof Error ? error.message : String(error), signal.reason);
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  } finally {
    await cancelling;
    client.release();
  }
}
