import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { join } from "node:path";

/** Longest readable part of a log file's name: the rest of NAME_MAX (255 bytes) is left for the rest. */
const readableChars = 200;
const safeId = new RegExp(`^[a-z0-9_][a-z0-9_.-]{0,${readableChars - 1}}$`);

/**
 * The name of a task attempt's log file: `<task>.<attempt>.log`, unique per task id. The id is
 * kept as it is when it is safe as a file name everywhere: ASCII letters (lower case), digits,
 * `_`, `-` and `.`, not starting with `.` or `-`, at most 200 characters. Any other id is
 * written readably (other characters as `_`, cut at 200) and followed by `~` and 8 hex digits
 * of its SHA-256: `a#b` and `a/b` would both be `a_b`, `A` and `a` are one file where names are
 * case-insensitive (macOS, Windows). No safe id contains `~`, so the two forms never meet.
 */
export function logFileName(taskId: string, attempt: number): string {
  if (safeId.test(taskId)) return `${taskId}.${attempt}.log`;
  const readable = taskId
    .replace(/[^\w.-]+/g, "_")
    .replace(/^[.-]/, "_")
    .slice(0, readableChars);
  const hash = createHash("sha256").update(taskId).digest("hex").slice(0, 8);
  return `${readable || "_"}~${hash}.${attempt}.log`;
}

/**
 * One attempt's output, byte for byte, in `<dir>/<task>.<attempt>.log` (named by
 * {@link logFileName}). The file is created with the first byte, so a task that prints nothing
 * costs no file. A full or vanished disk loses the file, never the task: writing simply stops.
 */
export class LogFile {
  readonly #dir: string | undefined;
  readonly #taskId: string;
  readonly #attempt: number;
  #stream: WriteStream | undefined;

  /** `dir` undefined: output is not kept. Nothing is done until the first byte. */
  constructor(dir: string | undefined, taskId: string, attempt: number) {
    this.#dir = dir;
    this.#taskId = taskId;
    this.#attempt = attempt;
  }

  /** Appends a chunk; returns a promise when the writer should wait for the disk to catch up. */
  write(chunk: Buffer): Promise<unknown> | undefined {
    if (this.#dir === undefined) return undefined;
    if (this.#stream === undefined) {
      const stream = createWriteStream(join(this.#dir, logFileName(this.#taskId, this.#attempt)));
      stream.on("error", () => stream.destroy());
      this.#stream = stream;
    }
    if (this.#stream.destroyed || this.#stream.write(chunk)) return undefined;
    return once(this.#stream, "drain").catch(() => undefined);
  }

  /** Closes the file; resolves once every byte is on disk (at once when nothing was written). */
  close(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once("close", () => resolve());
      stream.end();
    });
  }
}
