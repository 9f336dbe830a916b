// The floor for running shell commands from Node: `node spawn-loop.mjs FILE SLOTS` runs each
// line of FILE with `sh -c`, SLOTS at a time, stdout and stderr piped and drained, no more.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const [file, slotsArg = "2"] = process.argv.slice(2);
const commands = readFileSync(file, "utf8").split("\n").filter(Boolean);
let next = 0;
let failed = 0;
const start = () => {
  const command = commands[next++];
  if (command === undefined) return;
  const child = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.resume();
  child.stderr.resume();
  child.on("close", (code) => {
    if (code !== 0) failed++;
    start();
  });
};
for (let i = 0; i < Number(slotsArg); i++) start();
process.on("exit", () => {
  if (failed > 0) process.exitCode = 1;
});
