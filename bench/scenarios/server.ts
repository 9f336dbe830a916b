/**
 * The HTTP service under fixed request rates: POST /api/v1/orchestrate fanning out to three
 * local services of ~5 ms, against the same fan-out as Promise.all in a bare Fastify route
 * (with undici, as parex calls services, and with fetch). Requests are paced evenly at two
 * rates, a light one and the goal's 1,000 requests/s; latency counts from when each request
 * was due.
 */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { Row, ScenarioResult } from "../lib/harness.js";

const impls = ["parex", "promise-all", "promise-all-fetch"] as const;
const label = {
  parex: "parex serve (engine, JWT, breakers, metrics; undici)",
  "promise-all": "bare Fastify route, Promise.all, JWT; undici",
  "promise-all-fetch": "the same bare route with fetch",
};

export function server(quick: boolean): ScenarioResult {
  const rates = quick ? [200] : [250, 1000];
  const seconds = quick ? 2 : 10;
  const reps = quick ? 1 : 3;
  const byRate = new Map<number, Row[]>(
    rates.map((rate) => [
      rate,
      node("bench/workloads/server.ts", ["--rate", rate, "--seconds", seconds, "--reps", reps]),
    ]),
  );
  const of = (rate: number, impl: string, key: string) =>
    stats((byRate.get(rate) ?? []).filter((r) => r["impl"] === impl).map((r) => Number(r[key])));
  const rows = rates.flatMap((rate) =>
    impls.map((impl) => [
      rate,
      label[impl],
      spread(of(rate, impl, "p50"), 1),
      spread(of(rate, impl, "p99"), 1),
      fmt(of(rate, impl, "rps").median, 0),
      fmt(of(rate, impl, "errors").max, 0),
    ]),
  );
  const top = rates[rates.length - 1] ?? 0;
  return {
    title: `parex serve: POST /api/v1/orchestrate, 3 services of ~5 ms, fixed rates for ${seconds} s (${reps} runs each)`,
    command: `npm run bench -- server${quick ? " --quick" : ""}`,
    table: markdown(
      [
        "requests/s asked",
        "server",
        "p50 (ms), median (min–max)",
        "p99 (ms), median (min–max)",
        "requests/s done",
        "errors, worst run",
      ],
      rows,
    ),
    notes: [
      "A paced open-loop client (bench/lib/paced-load.ts, undici, up to 64 connections) drives each server from the harness's process: request i is due at i / rate, and its latency counts from then, so a server that falls behind shows it. 2 s of warm-up at the rate are not counted. Each server and the three upstream services run in processes of their own, all on the same 2 cores.",
    ],
    verdicts: rates.map((rate) => {
      // A latency is only a latency of that rate if the server kept up, without errors.
      const kept = (impl: string) =>
        of(rate, impl, "errors").max === 0 && of(rate, impl, "rps").median >= 0.95 * rate
          ? ""
          : " (did not keep up with the rate, or answered errors)";
      const p99 = (impl: string) => `${fmt(of(rate, impl, "p99").median, 1)} ms${kept(impl)}`;
      return `${rate} requests/s: p99 parex ${p99("parex")}, Promise.all ${p99("promise-all")}, Promise.all with fetch ${p99("promise-all-fetch")}${rate === top && !quick ? " (goal: parex p99 < 20 ms at 1,000/s)" : ""}`;
    }),
  };
}
