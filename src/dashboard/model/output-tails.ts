/** The latest output of a task's current attempt, both streams interleaved as they came. */
export interface OutputTail {
  readonly attempt: number;
  readonly text: string;
  /** Characters dropped from the start to keep within the limit. */
  readonly cut: number;
}

interface Tail {
  attempt: number;
  chunks: string[];
  length: number;
  cut: number;
}

/**
 * The running tasks' output from `task.output` events, at most `limit` characters per task
 * (the oldest dropped first): what the log panel shows while a task runs. A task's tail is
 * dropped when it ends; its whole log is then read from the log route.
 */
export class OutputTails {
  readonly #limit: number;
  readonly #tails = new Map<string, Tail>();

  /** `limit`: characters kept per task. Default 16,384. */
  constructor(limit = 16_384) {
    this.#limit = limit;
  }

  /** Adds a chunk; a chunk of a later attempt starts the task's tail afresh. */
  push(taskId: string, attempt: number, chunk: string): void {
    let tail = this.#tails.get(taskId);
    if (tail === undefined || attempt > tail.attempt) {
      tail = { attempt, chunks: [], length: 0, cut: 0 };
      this.#tails.set(taskId, tail);
    } else if (attempt < tail.attempt) {
      return;
    }
    tail.chunks.push(chunk);
    tail.length += chunk.length;
    while (tail.length > this.#limit && tail.chunks.length > 0) {
      const first = tail.chunks[0] ?? "";
      const over = tail.length - this.#limit;
      if (first.length <= over) {
        tail.chunks.shift();
        tail.length -= first.length;
        tail.cut += first.length;
      } else {
        tail.chunks[0] = first.slice(over);
        tail.length -= over;
        tail.cut += over;
      }
    }
  }

  get(taskId: string): OutputTail | undefined {
    const tail = this.#tails.get(taskId);
    if (tail === undefined) return undefined;
    if (tail.chunks.length > 1) tail.chunks = [tail.chunks.join("")];
    return { attempt: tail.attempt, text: tail.chunks[0] ?? "", cut: tail.cut };
  }

  drop(taskId: string): void {
    this.#tails.delete(taskId);
  }
}
