/**
 * The HTTP service under a fixed request rate: POST /api/v1/orchestrate fanning out to three
 * local services of ~5 ms, against the same fan-out as Promise.all in a bare Fastify route.
 */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function server(quick: boolean): ScenarioResult {
  const rate = quick ? 200 : 1000;
  const seconds = quick ? 2 : 10;
  const reps = quick ? 1 : 3;
  const rows = node("bench/workloads/server.ts", [
    "--rate",
    rate,
    "--seconds",
    seconds,
    "--reps",
    reps,
  ]);
  const impls = ["parex", "promise-all"];
  const of = (impl: string, key: string) =>
    stats(rows.filter((r) => r["impl"] === impl).map((r) => Number(r[key])));
  const p99 = of("parex", "p99").median;
  const errors = rows.reduce((sum, r) => sum + Number(r["errors"]), 0);
  return {
    title: `parex serve: POST /api/v1/orchestrate, 3 services of ~5 ms, ${rate} requests/s for ${seconds} s (${reps} runs each)`,
    command: `npm run bench -- server${quick ? " --quick" : ""}`,
    table: markdown(
      ["server", "p50 (ms), median (min–max)", "p99 (ms)", "requests/s", "errors"],
      impls.map((impl) => [
        impl === "parex"
          ? "parex serve (engine, JWT, breakers, metrics)"
          : "bare Fastify route, Promise.all, JWT",
        spread(of(impl, "p50"), 1),
        spread(of(impl, "p99"), 1),
        fmt(of(impl, "rps").median, 0),
        rows.filter((r) => r["impl"] === impl).reduce((sum, r) => sum + Number(r["errors"]), 0),
      ]),
    ),
    notes: [
      "autocannon drives each server (50 connections, a fixed overall rate) from the harness's process; each server and the three upstream services run in processes of their own.",
    ],
    verdicts: [
      `parex p99 ${fmt(p99, 1)} ms at ${rate} requests/s (goal < 20 ms at 1,000/s); parex / Promise.all p99 ${fmt(p99 / of("promise-all", "p99").median)}×; ${errors} errors`,
    ],
  };
}
