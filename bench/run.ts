/**
 * The benchmark harness: `npm run bench [-- --quick] [--only=TEXT] [SCENARIO...]`.
 * `--only=TEXT` keeps the graphs whose name contains TEXT (scheduling).
 * Each measurement runs in a fresh process; implementations are interleaved over the
 * repetitions; results are written as markdown to bench/results/ and printed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { root } from "./lib/harness.js";
import type { ScenarioResult } from "./lib/harness.js";
import { cache } from "./scenarios/cache.js";
import { cli } from "./scenarios/cli.js";
import { dashboard } from "./scenarios/dashboard.js";
import { distributed } from "./scenarios/distributed.js";
import { dag, throughput } from "./scenarios/library.js";
import { memory } from "./scenarios/memory.js";
import { overhead } from "./scenarios/overhead.js";
import { overload } from "./scenarios/overload.js";
import { scheduling } from "./scenarios/scheduling.js";
import { search } from "./scenarios/search.js";
import { server } from "./scenarios/server.js";
import { simulator } from "./scenarios/simulator.js";

const scenarios: Record<
  string,
  (quick: boolean, only?: string) => ScenarioResult | Promise<ScenarioResult>
> = {
  scheduling,
  overhead,
  memory,
  server,
  overload,
  throughput,
  dag,
  simulator,
  search,
  cli,
  cache,
  dashboard,
  distributed,
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const chosen = args.filter((a) => !a.startsWith("--"));
const names = chosen.length > 0 ? chosen : Object.keys(scenarios);
const unknown = names.filter((n) => !(n in scenarios));
if (unknown.length > 0) {
  console.error(
    `bench: unknown scenario ${unknown.join(", ")}; choose from ${Object.keys(scenarios).join(", ")}`,
  );
  process.exit(2);
}

if (!existsSync(`${root}bench/node_modules/p-map`)) {
  console.error("bench: installing the peers (npm run bench:setup) ...");
  execFileSync("npm", ["run", "bench:setup"], { cwd: root, stdio: "inherit" });
}
console.error("bench: building parex (npm run build) ...");
execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });

const date = new Date().toISOString().slice(0, 10);
const cpu = cpus();
mkdirSync(`${root}bench/results`, { recursive: true });
for (const name of names) {
  const scenario = scenarios[name];
  if (scenario === undefined) continue;
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} at start`;
  console.error(`bench: ${name} ...`);
  const started = performance.now();
  const result = await scenario(quick, only);
  const text = [
    `## ${result.title}`,
    "",
    `${date} · ${machine} · took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    "",
    `Command: \`${result.command}\``,
    "",
    result.table,
    "",
    ...(result.notes ?? []).map((n) => `${n}\n`),
    ...result.verdicts.map((v) => `- ${v}`),
    "",
  ].join("\n");
  const file = `bench/results/${date}-${name}${only === undefined ? "" : `-${only.replace(/\W+/g, "-")}`}${quick ? "-quick" : ""}.md`;
  writeFileSync(`${root}${file}`, text);
  console.log(`${text}\n(written to ${file})\n`);
}
