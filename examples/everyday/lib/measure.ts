/** Timing and the lines every recipe prints to compare one-at-a-time with parallel work. */
import { performance } from "node:perf_hooks";

/** `fn`'s value and how long it took, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * `a` and `b` run alternately `rounds` times (the machine is shared: alternating spreads its
 * load over both), with the median time of each and their last values.
 */
export async function interleaved<A, B>(
  rounds: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<{ a: { ms: number; value: A }; b: { ms: number; value: B } }> {
  const times: [number[], number[]] = [[], []];
  let last: [A, B] | undefined;
  for (let round = 0; round < rounds; round++) {
    const first = await timed(a);
    const second = await timed(b);
    times[0].push(first.ms);
    times[1].push(second.ms);
    last = [first.value, second.value];
  }
  if (last === undefined) throw new RangeError("interleaved needs at least one round");
  return {
    a: { ms: median(times[0]), value: last[0] },
    b: { ms: median(times[1]), value: last[1] },
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `ms` for people: "41 µs", "812.3 ms", "2.41 s". */
export function duration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1_000)} µs`;
  return ms < 1_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1_000).toFixed(2)} s`;
}

/**
 * The two lines of a comparison, by default labelled `one at a time` and `in parallel`; tests
 * read them.
 */
export function comparison(
  sequentialMs: number,
  parallelMs: number,
  labels: readonly [string, string] = ["one at a time", "in parallel"],
): string {
  const speedup = parallelMs > 0 ? sequentialMs / parallelMs : 1;
  const width = Math.max(labels[0].length, labels[1].length) + 2;
  return [
    `  ${labels[0].padEnd(width)}${duration(sequentialMs)}`,
    `  ${labels[1].padEnd(width)}${duration(parallelMs)}  (${speedup.toFixed(2)}× faster)`,
  ].join("\n");
}

/** `n` with thousands separators: 10,000. */
export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}
