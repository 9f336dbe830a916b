/**
 * Lines of text that arrives in chunks, each character looked at once. At most `limit`
 * characters of a line are kept; the rest of it is only counted, so a 50 MB line without a
 * newline costs `limit` characters of memory and one pass, not a copy per chunk.
 */
export class LineSplitter {
  readonly #limit: number;
  readonly #onLine: (line: string, cut: number) => void;
  #parts: string[] = [];
  #kept = 0;
  #cut = 0;
  #work = 0;

  /** `onLine` gets each line without its newline, and how many of its characters were cut. */
  constructor(limit: number, onLine: (line: string, cut: number) => void) {
    this.#limit = limit;
    this.#onLine = onLine;
  }

  /** Characters scanned and copied so far: linear work keeps it near the text's length. */
  get work(): number {
    return this.#work;
  }

  /** Whether a line has begun and not ended. */
  get pending(): boolean {
    return this.#kept > 0 || this.#cut > 0;
  }

  /** Takes the next chunk, emitting every line it completes. */
  push(chunk: string): void {
    let from = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", from)) {
      this.#add(chunk, from, end);
      this.#work += end + 1 - from;
      this.#emit();
      from = end + 1;
    }
    this.#work += chunk.length - from;
    this.#add(chunk, from, chunk.length);
  }

  /** Emits the unfinished last line, if there is one. */
  end(): void {
    if (this.pending) this.#emit();
  }

  #add(chunk: string, from: number, to: number): void {
    const take = Math.max(0, Math.min(this.#limit - this.#kept, to - from));
    if (take > 0) {
      this.#parts.push(chunk.slice(from, from + take));
      this.#kept += take;
      this.#work += take;
    }
    this.#cut += to - from - take;
  }

  #emit(): void {
    const line = this.#parts.length === 1 ? (this.#parts[0] ?? "") : this.#parts.join("");
    if (this.#parts.length > 1) this.#work += line.length;
    const cut = this.#cut;
    this.#parts = [];
    this.#kept = 0;
    this.#cut = 0;
    this.#onLine(line, cut);
  }
}

/** The last `limit` characters of text that arrives in chunks, with each chunk kept, not copied. */
export class TextTail {
  readonly #limit: number;
  #chunks: string[] = [];
  #head = 0;
  #length = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Adds a chunk, dropping whole chunks that fall out of the last `limit` characters. */
  push(chunk: string): void {
    // A slice would keep the whole chunk alive; a copy of the end lets it go.
    const kept = chunk.length > this.#limit ? `${chunk.slice(-this.#limit)} `.slice(0, -1) : chunk;
    this.#chunks.push(kept);
    this.#length += kept.length;
    for (;;) {
      const first = this.#chunks[this.#head] ?? "";
      if (this.#head >= this.#chunks.length - 1 || this.#length - first.length < this.#limit) break;
      this.#length -= first.length;
      this.#chunks[this.#head++] = "";
    }
    // Dropped chunks are let go in bulk, so each push costs O(1) on average.
    if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The kept text: at most `limit` characters, the newest. */
  text(): string {
    const all = this.#chunks.slice(this.#head).join("");
    return all.length > this.#limit ? all.slice(-this.#limit) : all;
  }

  /** Forgets everything (a new attempt begins). */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#length = 0;
  }
}
