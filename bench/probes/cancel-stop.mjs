// How long `parex run` takes to stop once interrupted while most of a huge graph is queued:
//   node bench/probes/cancel-stop.mjs [--tty] [TASKS] [COMMAND] [-- PAREX-ARGS...]
// writes a JSON config of TASKS (default 100,000) independent tasks running COMMAND (default
// "true") into a fresh directory, starts `bin/parex.js run -j 2` there (plus PAREX-ARGS),
// interrupts it 1 s after its first output (tasks are running by then) and prints the time
// from the interrupt to the runner's exit, its exit code and its peak resident memory (VmHWM,
// read from /proc while it runs: Linux only). With --tty the runner gets a terminal through
// util-linux `script` (the live reporter, as a user at a terminal sees it), and the interrupt
// is a Ctrl-C typed into it; without, its output goes to pipes and it is sent SIGINT.
// PAREX_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", are passed to the runner's node.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearInterval, setInterval, setTimeout } from "node:timers";

const args = process.argv.slice(2);
const tty = args[0] === "--tty";
if (tty) args.shift();
const [countArg = "100000", command = "true", ...rest] = args;
const extra = rest[0] === "--" ? rest.slice(1) : rest;
const dir = mkdtempSync(join(tmpdir(), "parex-cancel-stop-"));
const tasks = {};
for (let i = 0; i < Number(countArg); i++) tasks[`t${i}`] = command;
writeFileSync(join(dir, "parex.config.json"), JSON.stringify({ tasks }));

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const flags = (process.env["PAREX_NODE_FLAGS"] ?? "").split(" ").filter(Boolean);
const argv = [process.execPath, ...flags, bin, "run", "-j", "2", ...extra];
const quoted = argv.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
const child = tty
  ? spawn("script", ["-qec", `exec ${quoted}`, "/dev/null"], { cwd: dir })
  : spawn(argv[0], argv.slice(1), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
let outputBytes = 0;
const onOutput = (chunk) => {
  if (outputBytes === 0) setTimeout(interrupt, 1_000);
  outputBytes += chunk.length;
  output = (output + chunk).slice(-2_000);
};
child.stdout.on("data", onOutput);
child.stderr.on("data", onOutput);

/** The pids of `pid` and its descendants. */
function tree(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone
    }
  }
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    for (const [p, ppid] of parents) if (ppid === found[i]) found.push(p);
  }
  return found;
}

let runnerPid = tty ? undefined : child.pid;
let peakKb = 0;
const sample = setInterval(() => {
  if (runnerPid === undefined) {
    // Under script, the runner is the node process below it.
    runnerPid = tree(child.pid)
      .slice(1)
      .find((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(bin);
        } catch {
          return false;
        }
      });
  }
  try {
    const status = readFileSync(`/proc/${runnerPid}/status`, "utf8");
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch {
    // not found yet, or gone
  }
}, 20);

let sentAt = 0;
let rssAtInterruptMb = 0;
function interrupt() {
  rssAtInterruptMb = Math.round(peakKb / 1024);
  sentAt = performance.now();
  if (tty) child.stdin.write("\x03");
  else child.kill("SIGINT");
}

child.on("exit", (code, signal) => {
  const stopMs = performance.now() - sentAt;
  clearInterval(sample);
  console.log(
    JSON.stringify({
      tasks: Number(countArg),
      command,
      tty,
      args: extra,
      stopMs: Math.round(stopMs),
      exit: code ?? signal,
      peakRssMbAtInterrupt: rssAtInterruptMb,
      peakRssMb: Math.round(peakKb / 1024),
      dir,
    }),
  );
  if (code !== 130) console.error(output);
});
