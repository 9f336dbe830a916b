/**
 * The demo (`npm run demo`): seed 000's test-environment setup for five domains, run by the
 * parex library with simulated durations, then explained — and compared with the wave-barrier
 * schedule the seed itself uses.
 *
 * Domains: buyer, seller and call are set up first; call routes need call; compliance needs
 * buyer and seller; financial needs buyer. One simulated minute lasts PAREX_DEMO_MINUTE_MS ms
 * (default 100), so the whole demo takes about a second and a half.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { buildGraph, run, scalability, simulateWaves } from "../src/index.js";
import type { RunEvent, TaskContext } from "../src/index.js";
import { duration, renderScalability, renderSummary } from "../src/report/index.js";

const minute = Number(process.env["PAREX_DEMO_MINUTE_MS"] ?? 100);
const slots = 3;

type Domain = "buyer" | "seller" | "call" | "call-routes" | "compliance" | "financial";

/** Each domain's setup: simulated minutes, and the domains it needs first. */
const domains: Record<Domain, { minutes: number; needs: Domain[] }> = {
  buyer: { minutes: 3, needs: [] },
  seller: { minutes: 2, needs: [] },
  call: { minutes: 1, needs: [] },
  "call-routes": { minutes: 11, needs: ["call"] },
  compliance: { minutes: 8, needs: ["buyer", "seller"] },
  financial: { minutes: 7, needs: ["buyer"] },
};
const ids = Object.keys(domains) as Domain[];

function setUp(domain: Domain) {
  return async ({ signal }: TaskContext<unknown>): Promise<string> => {
    await sleep(domains[domain].minutes * minute, undefined, { signal });
    return `${domain} ready`;
  };
}

function live(event: RunEvent): void {
  const at = new Date(event.time).toISOString().slice(11, 23);
  if (event.type === "task.started") console.log(`${at}  ▶ ${event.taskId} (slot ${event.slot})`);
  if (event.type === "task.finished") console.log(`${at}  ■ ${event.taskId} ${event.task.status}`);
}

console.log(
  `seed 000: setting up 5 test domains on ${slots} slots (1 simulated minute = ${minute} ms)\n`,
);
const report = await run(
  Object.fromEntries(ids.map((id) => [id, { dependsOn: domains[id].needs, run: setUp(id) }])),
  { concurrency: slots, onEvent: live },
);

console.log(`\n${renderSummary(report.summary, report.analysis)}\n`);

// What the seed's wave barriers would have done with the same measured durations.
const graph = buildGraph(ids.map((id) => ({ id, run: null, dependsOn: domains[id].needs })));
const measured = Object.fromEntries(report.summary.tasks.map((t) => [t.id, t.durationMs ?? 0]));
const waves = simulateWaves(graph, measured, slots).makespanMs;
console.log(
  `  wave barriers (the seed's way) would take ${duration(waves)}: parex finished ${(waves / report.summary.makespanMs).toFixed(2)}× sooner.\n`,
);
console.log("  what more slots would buy (simulated from the measured durations):");
for (const line of renderScalability(scalability(graph, measured, 6), slots))
  console.log(`    ${line}`);
process.exitCode = report.status === "succeeded" ? 0 : 1;
