// Whether running a command without `sh -c` (as make does for simple commands) makes a Node
// runner faster:  node bench/probes/spawn-direct.mjs sh|direct
// spawns `true` 200 times, two at a time, pipes drained, and prints the total in ms.
import { spawn } from "node:child_process";

const mode = process.argv[2] ?? "sh";
const total = 200;
let started = 0;
let done = 0;
const t0 = performance.now();
const start = () => {
  if (started++ >= total) return;
  const child =
    mode === "sh"
      ? spawn("sh", ["-c", "true"], { stdio: ["ignore", "pipe", "pipe"] })
      : spawn("true", [], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.resume();
  child.stderr.resume();
  child.on("close", () => {
    if (++done === total) console.log(mode, (performance.now() - t0).toFixed(0), "ms");
    else start();
  });
};
start();
start();
