// Counts the process environments a command reads (/proc/<pid>/environ: the sweep for strays,
// src/exec/strays.ts), to see how many passes over /proc a run makes:
//   node --import ./bench/probes/count-environ.mjs bin/parex.js run --output none
// prints "environ reads: N, processes now: M" on stderr as the process exits; N / M is the
// number of passes. (It patches fs.openSync, and syncs the modules' named imports to it.)
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const open = fs.openSync;
let reads = 0;
fs.openSync = function (path, ...rest) {
  if (typeof path === "string" && path.endsWith("/environ")) reads++;
  return open.call(this, path, ...rest);
};
syncBuiltinESMExports();
process.on("exit", () => {
  const processes = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).length;
  fs.writeSync(2, `environ reads: ${reads}, processes now: ${processes}\n`);
});
