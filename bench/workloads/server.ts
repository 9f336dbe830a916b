/**
 * POST /api/v1/orchestrate under a fixed request rate, against the same fan-out written as
 * Promise.all in a bare Fastify route (same JWT check, same HTTP client: undici), to show what
 * the engine costs, and the bare route again with fetch, to show what the client costs:
 *   node --import tsx bench/workloads/server.ts [--rate 1000] [--seconds 10] [--reps 3]
 * Three upstream services answer after ~5 ms, in a process of their own; each server runs in
 * a fresh process; a paced open-loop client (bench/lib/paced-load.ts) drives it from this one. Prints one JSON line per run for the
 * harness (`npm run bench -- server`).
 */
import Fastify from "fastify";
import { jwtVerify, SignJWT } from "jose";
import * as undici from "undici";
import { percentile } from "../../dist/core/index.js";
import { pacedLoad } from "../lib/paced-load.js";
import { child, stop, upstreams } from "../lib/server-processes.js";

const secret = new TextEncoder().encode("bench-secret-bench-secret-bench-secret!");
const [mode = "bench", ...rest] = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};

/** The server under test; prints its address. */
async function serve(impl: string, urls: string[]): Promise<void> {
  if (impl === "parex") {
    const { createServer: createParex } = await import("../../dist/server/index.js");
    const { systemClock } = await import("../../dist/exec/index.js");
    const services = Object.fromEntries(urls.map((url, i) => [`s${i + 1}`, { url }]));
    const app = await createParex({
      services,
      auth: { algorithms: ["HS256"], key: { secret } },
      clock: systemClock,
      rateLimit: false,
    });
    console.log(await app.listen({ port: 0, host: "127.0.0.1" }));
    return;
  }
  const app = Fastify();
  app.post("/api/v1/orchestrate", async (request, reply) => {
    const token = (request.headers.authorization ?? "").slice("Bearer ".length);
    await jwtVerify(token, secret, { algorithms: ["HS256"], requiredClaims: ["exp"] });
    const started = performance.now();
    const answers = await Promise.all(
      urls.map(async (url) => {
        const begin = performance.now();
        const signal = AbortSignal.timeout(30_000);
        const data =
          impl === "promise-all-fetch"
            ? await (await fetch(url, { signal })).json()
            : await (await undici.request(url, { signal })).body.json();
        return { data: data as unknown, responseTime: performance.now() - begin };
      }),
    );
    return reply.send({
      success: true,
      data: { services: answers, executionTime: performance.now() - started },
    });
  });
  console.log(await app.listen({ port: 0, host: "127.0.0.1" }));
}

async function bench(): Promise<void> {
  const rate = option("rate", 1000);
  const seconds = option("seconds", 10);
  const reps = option("reps", 3);
  const upstream = await child(import.meta.filename, ["upstreams", "5"]);
  const urls = JSON.parse(upstream.line) as string[];
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(secret);
  for (let rep = 0; rep < reps; rep++) {
    for (const impl of ["parex", "promise-all", "promise-all-fetch"]) {
      const server = await child(import.meta.filename, ["serve", impl, ...urls]);
      const result = await pacedLoad({
        origin: server.line,
        path: "/api/v1/orchestrate",
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ services: ["s1", "s2", "s3"] }),
        rate,
        seconds,
      });
      await stop(server.process);
      // No answered request, no latency: NaN shows as "—", not as 0 ms.
      const at = (p: number): number =>
        result.latencies.length === 0 ? Number.NaN : percentile(result.latencies, p);
      console.log(
        JSON.stringify({
          impl,
          rate,
          seconds,
          p50: at(50),
          p99: at(99),
          max: at(100),
          rps: result.rate,
          errors: result.errors,
        }),
      );
    }
  }
  await stop(upstream.process);
}

if (mode === "upstreams") await upstreams(Number(rest[0] ?? 5));
else if (mode === "serve") await serve(rest[0] ?? "parex", rest.slice(1));
else await bench();
