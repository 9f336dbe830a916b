// What a sweep for strays costs (src/exec/strays.ts): one pass over /proc reading every
// process's environment, on this machine as it is and with EXTRA idle processes more:
//   node --import tsx bench/probes/sweep-cost.mjs [ROUNDS] [EXTRA...]
// (default: 20 rounds; 0, 500 and 2000 extra `sleep` processes). Prints, per case, the number
// of processes, the median and minimum time of a pass (markedProcesses) and of a sweep that finds
// nothing to stop (killRunStrays, what a run's end pays when its tasks left nothing), and the
// median cost per process.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { killRunStrays, markedProcesses } from "../../src/exec/strays.ts";

const [rounds = 20, ...extras] = process.argv.slice(2).map(Number);
const cases = extras.length > 0 ? extras : [0, 500, 2000];
const processes = () => readdirSync("/proc").filter((e) => /^\d+$/.test(e)).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(work) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

for (const extra of cases) {
  const idle = Array.from({ length: extra }, () =>
    spawn("sleep", ["600"], { stdio: "ignore", env: { PATH: process.env.PATH } }),
  );
  await Promise.all(idle.map((child) => new Promise((resolve) => child.once("spawn", resolve))));
  const pass = [];
  const sweep = [];
  for (let round = 0; round < rounds; round++) {
    pass.push(await time(() => markedProcesses((mark) => mark.startsWith("run_probe/"))));
    sweep.push(await time(() => killRunStrays("run_probe", 5_000)));
  }
  const n = processes();
  console.log(
    `${n} processes (+${extra}): pass median ${median(pass).toFixed(2)} ms, min ${Math.min(...pass).toFixed(2)}; ` +
      `sweep finding nothing median ${median(sweep).toFixed(2)} ms; ${((median(pass) / n) * 1000).toFixed(0)} µs per process`,
  );
  for (const child of idle) child.kill("SIGKILL");
}
