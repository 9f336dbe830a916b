// What `detached` (a new session per child, as parex uses for process groups) costs a spawn:
//   node bench/probes/spawn-options.mjs [N]
// runs `sh -c true` N times (default 200), 2 at a time, with and without `detached`,
// interleaved 5 times; prints each total. Compare with
// `cat /proc/sys/kernel/sched_autogroup_enabled`: each new session gets its own autogroup.
import { spawn } from "node:child_process";

const total = Number(process.argv[2] ?? "200");

function run(detached) {
  return new Promise((resolve) => {
    const started = performance.now();
    let launched = 0;
    let running = 0;
    const next = () => {
      if (launched === total) {
        if (running === 0) resolve(performance.now() - started);
        return;
      }
      launched++;
      running++;
      const child = spawn("sh", ["-c", "true"], { detached, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.resume();
      child.stderr.resume();
      child.on("close", () => {
        running--;
        next();
      });
    };
    next();
    next();
  });
}

const times = { detached: [], attached: [] };
for (let i = 0; i < 5; i++) {
  times.attached.push(await run(false));
  times.detached.push(await run(true));
}
for (const [name, list] of Object.entries(times)) {
  const sorted = list.sort((a, b) => a - b);
  console.log(
    `${name}: median ${sorted[2].toFixed(0)} ms (${sorted.map((t) => t.toFixed(0)).join(", ")})`,
  );
}
