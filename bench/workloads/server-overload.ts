/**
 * parex serve at far more concurrent connections than it can serve at once: a closed loop of
 * `--connections` clients (default 1,000), each sending its next POST /api/v1/orchestrate as
 * soon as the last is answered (503 included, as autocannon does), to three services that answer
 * in ~5 ms (each call under a 1,000 ms timeout and the default breaker), while /health is probed
 * twice a second:
 *   node --import tsx bench/workloads/server-overload.ts [--connections 1000] [--seconds 10] [--reps 3]
 * Prints one JSON line per run, after a first run not reported (it warms the clients and the
 * services; every run has a server of its own, started cold): answers by status, the latency of admitted requests (every
 * answer but 503) and of shed ones, the /health probes answered within 2 s, and what /metrics
 * says afterwards (breaker states, shed requests). The server runs with its default admission
 * limits unless `--admission '{"maxInFlight":N,...}'` is given.
 */
import { SignJWT } from "jose";
import { Pool } from "undici";
import { percentile } from "../../dist/core/index.js";
import { child, stop, upstreams } from "../lib/server-processes.js";

const secret = new TextEncoder().encode("bench-secret-bench-secret-bench-secret!");
const [mode = "bench", ...rest] = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : (process.argv[index + 1] ?? fallback);
};

/** The server under test, with `admission` (JSON, or "default"); prints its address. */
async function serve(admission: string, urls: readonly string[]): Promise<void> {
  const { createServer } = await import("../../dist/server/index.js");
  const { systemClock } = await import("../../dist/exec/index.js");
  const services = Object.fromEntries(
    urls.map((url, i) => [`s${i + 1}`, { url, timeoutMs: 1000 }]),
  );
  const app = await createServer({
    services,
    auth: { algorithms: ["HS256"], key: { secret } },
    clock: systemClock,
    rateLimit: false,
    ...(admission === "default" ? {} : { admission: JSON.parse(admission) as never }),
  });
  console.log(await app.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }));
}

interface Tally {
  readonly byStatus: Record<string, number>;
  readonly admitted: number[];
  readonly shed: number[];
}

/** `connections` clients in a closed loop for `seconds` after `warmup` seconds not counted. */
async function closedLoop(
  origin: string,
  token: string,
  { connections, seconds, warmup }: { connections: number; seconds: number; warmup: number },
): Promise<Tally> {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const tally: Tally = { byStatus: {}, admitted: [], shed: [] };
  const measureFrom = performance.now() + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  const body = JSON.stringify({ services: ["s1", "s2", "s3"] });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const started = performance.now();
      let status = "error";
      try {
        const answer = await pool.request({
          path: "/api/v1/orchestrate",
          method: "POST",
          headers,
          body,
        });
        await answer.body.dump();
        status = String(answer.statusCode);
      } catch {
        // Counted as "error": refused, reset or timed out.
      }
      if (started < measureFrom) continue;
      const ms = performance.now() - started;
      tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      (status === "503" ? tally.shed : tally.admitted).push(ms);
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  await pool.close();
  return tally;
}

/** GET /health every 500 ms until `until` resolves: how many answered 200 within 2 s. */
async function probeHealth(
  origin: string,
  until: Promise<unknown>,
): Promise<{ ok: number; sent: number }> {
  const pool = new Pool(origin, { connections: 4, headersTimeout: 2000, bodyTimeout: 2000 });
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const probes: Promise<boolean>[] = [];
  while (!done) {
    probes.push(
      pool
        .request({ path: "/health", method: "GET" })
        .then(async (answer) => {
          await answer.body.dump();
          return answer.statusCode === 200;
        })
        .catch(() => false),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const answers = await Promise.all(probes);
  await pool.close();
  return { ok: answers.filter(Boolean).length, sent: answers.length };
}

/** The breaker states and the shed counter, as /metrics reports them. */
async function readMetrics(
  origin: string,
): Promise<{ breakers: Record<string, number>; shed: number | null }> {
  const pool = new Pool(origin, { connections: 1 });
  const answer = await pool.request({ path: "/metrics", method: "GET" });
  const text = await answer.body.text();
  await pool.close();
  const breakers: Record<string, number> = {};
  for (const match of text.matchAll(/^parex_breaker_state\{key="([^"]+)"\} (\d+)/gm)) {
    breakers[match[1] ?? ""] = Number(match[2]);
  }
  const shed = [...text.matchAll(/^parex_http_shed_total(?:\{[^}]*\})? (\d+)/gm)];
  return {
    breakers,
    shed: shed.length === 0 ? null : shed.reduce((sum, m) => sum + Number(m[1]), 0),
  };
}

async function bench(): Promise<void> {
  const connections = Number(option("connections", "1000"));
  const seconds = Number(option("seconds", "10"));
  const reps = Number(option("reps", "3"));
  const admission = option("admission", "default");
  const upstream = await child(import.meta.filename, ["upstreams", "5"]);
  const urls = JSON.parse(upstream.line) as string[];
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(secret);
  // Run 0 is not reported: it warms this process's clients and the services, which live
  // through every run (each run has a server process of its own, started cold).
  for (let rep = 0; rep <= reps; rep++) {
    const server = await child(import.meta.filename, ["serve", admission, ...urls]);
    const load = closedLoop(server.line, token, { connections, seconds, warmup: 2 });
    const health = await probeHealth(server.line, load);
    const tally = await load;
    const metrics = await readMetrics(server.line);
    await stop(server.process);
    if (rep === 0) continue;
    const at = (values: number[], p: number): number =>
      values.length === 0
        ? Number.NaN
        : percentile(
            values.sort((a, b) => a - b),
            p,
          );
    console.log(
      JSON.stringify({
        connections,
        seconds,
        byStatus: tally.byStatus,
        answeredPerSecond: (tally.admitted.length + tally.shed.length) / seconds,
        admittedPerSecond: tally.admitted.length / seconds,
        admittedP50: at(tally.admitted, 50),
        admittedP99: at(tally.admitted, 99),
        shedP99: at(tally.shed, 99),
        healthOk: health.ok,
        healthSent: health.sent,
        breakersOpen: Object.values(metrics.breakers).filter((state) => state !== 0).length,
        shedCounted: metrics.shed,
      }),
    );
  }
  await stop(upstream.process);
}

if (mode === "upstreams") await upstreams(Number(rest[0] ?? 5));
else if (mode === "serve") await serve(rest[0] ?? "default", rest.slice(1));
else await bench();
