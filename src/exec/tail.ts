/**
 * The last `limit` bytes of a stream of chunks, so that a task's output of any size costs at
 * most that much memory; the whole output goes to its log file.
 */
export class Tail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Adds a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#chunks.length > 1 && this.#bytes - (this.#chunks[0]?.length ?? 0) >= this.#limit) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** The kept bytes as text (at most `limit` bytes). */
  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - this.#limit)).toString("utf8");
  }
}
