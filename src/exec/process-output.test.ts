import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import type { AttemptContext } from "../core/index.js";
import { LogFile } from "./log-file.js";
import { capture } from "./process-output.js";
import { Tail } from "./tail.js";

describe("capture", () => {
  it("hands a log probe each line's first 64 KiB, a 5 MB line without a newline included", async () => {
    // 5,000 writes of 1,000 characters, then the line a probe waits for.
    const code =
      "const x = 'x'.repeat(1000); for (let i = 0; i < 5000; i++) process.stdout.write(x); process.stdout.write('\\nready\\n')";
    const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "pipe"] });
    const context: AttemptContext = {
      taskId: "service",
      attempt: 1,
      signal: new AbortController().signal,
      results: {},
      output: () => undefined,
      ready: () => undefined,
      process: () => undefined,
    };
    const lines: [number, string][] = [];
    capture(child, context, {
      tail: new Tail(1024),
      log: new LogFile(undefined, "service", 1),
      lines: new Set([(line: string) => lines.push([line.length, line.slice(0, 5)])]),
      backpressure: undefined,
    });
    await once(child, "close");
    assert.deepEqual(lines, [
      [64 * 1024, "xxxxx"],
      [5, "ready"],
    ]);
  });
});
