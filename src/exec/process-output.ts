import type { ChildProcess } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { LineSplitter } from "../core/index.js";
import type { AttemptContext } from "../core/index.js";
import type { LogFile } from "./log-file.js";
import type { LineListener } from "./probes.js";
import type { Tail } from "./tail.js";

/** What a log probe sees of one line: its start, however long the line is. */
const probedLineLimit = 64 * 1024;

/**
 * Sends output to the log file (bytes), the tail, the run's events (text) and line listeners
 * (each line's first 64 KiB: a line without a newline costs one pass, not a copy per chunk).
 */
export function capture(
  child: ChildProcess,
  context: AttemptContext,
  sinks: {
    readonly tail: Tail;
    readonly log: LogFile;
    readonly lines: Set<LineListener>;
    readonly backpressure: (() => Promise<void> | undefined) | undefined;
  },
): void {
  for (const stream of ["stdout", "stderr"] as const) {
    const decoder = new StringDecoder("utf8");
    const source = child[stream];
    const lines = new LineSplitter(probedLineLimit, (line) => {
      for (const listener of [...sinks.lines]) listener(line);
    });
    source?.on("data", (chunk: Buffer) => {
      const logFull = sinks.log.write(chunk);
      sinks.tail.push(chunk);
      const text = decoder.write(chunk);
      if (text !== "") context.output(stream, text);
      const waits = [logFull, sinks.backpressure?.()];
      const pending = waits.filter((wait) => wait !== undefined);
      if (pending.length > 0 && source.readableFlowing === true) {
        // Stop reading until the log file and the screen have caught up: 100 MB of output
        // then waits in the command's pipe, not in the runner's memory.
        source.pause();
        void Promise.all(pending).then(() => source.resume());
      }
      if (sinks.lines.size > 0) lines.push(text);
    });
    source?.on("end", () => {
      const rest = decoder.end();
      if (rest !== "") context.output(stream, rest);
    });
  }
}

/**
 * Waits for the child's pipes to close, at most `limitMs`; resolves with whether they did. They
 * stay open while a process outside the group holds them.
 */
export function closed(child: ChildProcess, limitMs: number): Promise<boolean> {
  if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off("close", onClose);
      resolve(false);
    }, limitMs);
    child.once("close", onClose);
  });
}
