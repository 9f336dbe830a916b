/**
 * A process measured from outside, as a user meets it: wall time from spawn to exit, the peak
 * RSS of the process itself (its VmHWM), and the peak summed RSS of its whole process tree
 * (sampled every 20 ms). Node reaps the process before reporting its exit, so growth in its
 * last 20 ms is not seen, and a process that ends within 20 ms has no figure (NaN).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { childPids } from "../../dist/exec/proc.js";

export interface Measured {
  readonly seconds: number;
  readonly exitCode: number | null;
  /** Peak RSS of the process started, in MB; NaN if it ended before the first sample. */
  readonly rssMB: number;
  /** Peak of the summed RSS of it and its descendants, in MB (sampled). */
  readonly treeMB: number;
  readonly output: string;
}

export interface Command {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

const kbField = (status: string, field: string): number => {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status);
  return match === null ? 0 : Number(match[1]);
};

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // the process is gone
  }
}

/** Summed VmRSS of `pid` and its descendants, in KB. */
function treeKb(pid: number): number {
  let total = 0;
  const stack = [String(pid)];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    total += kbField(read(`/proc/${next}/status`), "VmRSS");
    stack.push(...childPids(next));
  }
  return total;
}

export function measure(command: Command): Promise<Measured> {
  const [file, ...args] = command.argv;
  if (file === undefined) throw new Error("measure: empty command");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let hwmKb = 0;
    let peakTreeKb = 0;
    const sample = () => {
      const pid = child.pid;
      if (pid === undefined) return;
      hwmKb = Math.max(hwmKb, kbField(read(`/proc/${pid}/status`), "VmHWM"));
      peakTreeKb = Math.max(peakTreeKb, treeKb(pid));
    };
    const timer = setInterval(sample, 20);
    child.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({
        seconds: (performance.now() - started) / 1000,
        exitCode: code,
        // a process that exits within the first sample is too quick to measure: NaN, shown as —
        rssMB: hwmKb === 0 ? Number.NaN : hwmKb / 1024,
        treeMB: peakTreeKb === 0 ? Number.NaN : peakTreeKb / 1024,
        output,
      });
    });
  });
}
