/**
 * The HTTP service at 1,000 concurrent connections (issue 17's goal): closed-loop clients that
 * send their next request as soon as the last is answered, 503s included, to three services
 * of ~5 ms; with the default admission limits, and with none (as before they existed).
 */
import { fmt, markdown, node, spread, stats } from "../lib/harness.js";
import type { Row, ScenarioResult } from "../lib/harness.js";

export function overload(quick: boolean): ScenarioResult {
  const connections = quick ? 200 : 1000;
  const seconds = quick ? 2 : 10;
  const reps = quick ? 1 : 3;
  const variants = [
    { name: "default admission limits", admission: "default" },
    { name: "no admission limits (admission: false)", admission: "false" },
  ];
  const rows = new Map<string, Row[]>(
    variants.map((v) => [
      v.name,
      node("bench/workloads/server-overload.ts", [
        "--connections",
        connections,
        "--seconds",
        seconds,
        "--reps",
        reps,
        "--admission",
        v.admission,
      ]),
    ]),
  );
  const of = (name: string, pick: (row: Row) => number) => stats((rows.get(name) ?? []).map(pick));
  const status = (code: string) => (row: Row) =>
    Number((row["byStatus"] as Record<string, number> | undefined)?.[code] ?? 0);
  const table = markdown(
    [
      "server",
      "200 /s",
      "502",
      "503 (shed) /s",
      "admitted p50 (ms)",
      "admitted p99 (ms)",
      "/health answered",
      "breakers open at the end",
      "shed in /metrics",
    ],
    variants.map(({ name }) => [
      name,
      spread(
        of(name, (r) => status("200")(r) / seconds),
        0,
      ),
      fmt(of(name, status("502")).max, 0),
      spread(
        of(name, (r) => status("503")(r) / seconds),
        0,
      ),
      spread(
        of(name, (r) => Number(r["admittedP50"])),
        1,
      ),
      spread(
        of(name, (r) => Number(r["admittedP99"])),
        1,
      ),
      (rows.get(name) ?? [])
        .map((r) => `${String(r["healthOk"])}/${String(r["healthSent"])}`)
        .join(", "),
      fmt(of(name, (r) => Number(r["breakersOpen"])).max, 0),
      (rows.get(name) ?? []).map((r) => String(r["shedCounted"] ?? "—")).join(", "),
    ]),
  );
  const chosen = variants[0]?.name ?? "";
  return {
    title: `parex serve at ${connections} concurrent connections, 3 services of ~5 ms, ${seconds} s (${reps} runs each)`,
    command: `npm run bench -- overload${quick ? " --quick" : ""}`,
    table,
    notes: [
      "Each client sends its next POST /api/v1/orchestrate as soon as the last is answered, 503 included (as autocannon does; no client honours Retry-After). Latencies count from the send; 'admitted' is every answer but a 503. /health is probed every 500 ms on connections of its own and counts when it answers 200 within 2 s. Each call has a 1,000 ms timeout and the default breaker. The server, the three services and the clients run in processes of their own on the same 2 cores; 2 s of warm-up are not counted, and a first run of each server, which warms the clients and the services, is not reported.",
    ],
    verdicts: [
      `default limits: 502 answers ${fmt(of(chosen, status("502")).max, 0)} (goal 0), breakers open ${fmt(of(chosen, (r) => Number(r["breakersOpen"])).max, 0)} (goal 0), admitted p99 ${fmt(of(chosen, (r) => Number(r["admittedP99"])).median, 1)} ms, median of runs (goal < 100 ms)`,
    ],
  };
}
