import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { join } from "node:path";

/**
 * One attempt's output, byte for byte, in `<dir>/<task>.<attempt>.log` (the task id with
 * characters other than letters, digits, `.` and `-` as `_`). The file is created with the first
 * byte, so a task that prints nothing costs no file. A full or vanished disk loses the file,
 * never the task: writing simply stops.
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
      const name = `${this.#taskId.replace(/[^\w.-]+/g, "_")}.${this.#attempt}.log`;
      const stream = createWriteStream(join(this.#dir, name));
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
