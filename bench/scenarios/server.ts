/**
 * The HTTP service under fixed request rates: POST /api/v1/orchestrate fanning out to three
 * local services of ~5 ms, against the same fan-out as Promise.all in a bare Fastify route.
 * Two rates: one the 2-core machine sustains with the load generator on it, and the goal's
 * 1,000 requests/s.
 */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { Row, ScenarioResult } from "../lib/harness.js";

const impls = ["parex", "promise-all"] as const;
const label = {
  parex: "parex serve (engine, JWT, breakers, metrics)",
  "promise-all": "bare Fastify route, Promise.all, JWT",
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
      "autocannon drives each server (50 connections, a fixed overall rate) from the harness's process; each server and the three upstream services run in processes of their own, all on the same 2 cores.",
    ],
    verdicts: rates.map((rate) => {
      // A latency is only a latency of that rate if the server kept up, without errors.
      const kept = (impl: string) =>
        of(rate, impl, "errors").max === 0 && of(rate, impl, "rps").median >= 0.95 * rate
          ? ""
          : " (did not keep up with the rate, or answered errors)";
      return `${rate} requests/s: parex p99 ${fmt(of(rate, "parex", "p99").median, 1)} ms${kept("parex")}, Promise.all p99 ${fmt(of(rate, "promise-all", "p99").median, 1)} ms${kept("promise-all")}${rate === top && !quick ? " (goal: parex p99 < 20 ms at 1,000/s)" : ""}`;
    }),
  };
}
