/**
 * What a benchmark process reports about itself: peak heap (sampled by the workload) and
 * peak RSS, printed as one JSON line on stdout for the harness.
 */
export class HeapProbe {
  #baseline: number;
  #peak: number;

  constructor() {
    globalThis.gc?.();
    this.#baseline = process.memoryUsage().heapUsed;
    this.#peak = this.#baseline;
  }

  /** Starts counting from here: what the workload built before (its input) is not the runner's. */
  rebase(): void {
    globalThis.gc?.();
    this.#baseline = process.memoryUsage().heapUsed;
    this.#peak = this.#baseline;
  }

  /** Records the heap now; cheap enough to call every few thousand items. */
  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.#peak) this.#peak = used;
  }

  /** Peak heap above the baseline, in MB. */
  get peakMB(): number {
    return (this.#peak - this.#baseline) / 2 ** 20;
  }
}

/** Prints the result line the harness reads. */
export function emit(result: Record<string, unknown>): void {
  const rssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...result, maxRssMB: Math.round(rssMB) }));
}
