/**
 * N trivial `async () => 1` tasks at a concurrency limit, in this process alone:
 *   node --expose-gc --import tsx bench/workloads/throughput.ts IMPL N CONCURRENCY
 * IMPL: parallelMap | p-map | limit | p-limit | p-queue
 */
import pLimit from "p-limit";
import pMap from "p-map";
import PQueue from "p-queue";
import { limit, parallelMap } from "../../dist/index.js";
import { emit, HeapProbe } from "../lib/probe.js";

const [impl = "parallelMap", nArg = "1000000", cArg = "16"] = process.argv.slice(2);
const n = Number(nArg);
const concurrency = Number(cArg);
const items = Array.from({ length: n }, (_, i) => i);
const probe = new HeapProbe(); // after the input: only what the runner adds is counted
let calls = 0;
const task = async (): Promise<number> => {
  if ((++calls & 0x3fff) === 0) probe.sample();
  return 1;
};

const runs: Record<string, () => Promise<unknown[]>> = {
  parallelMap: () => parallelMap(items, task, { concurrency }),
  "p-map": () => pMap(items, task, { concurrency }),
  limit: () => {
    const limited = limit(concurrency);
    const all = Promise.all(items.map(() => limited(task)));
    probe.sample();
    return all;
  },
  "p-limit": () => {
    const limited = pLimit(concurrency);
    const all = Promise.all(items.map(() => limited(task)));
    probe.sample();
    return all;
  },
  "p-queue": () => {
    const queue = new PQueue({ concurrency });
    const all = Promise.all(items.map(() => queue.add(task)));
    probe.sample();
    return all;
  },
};

const chosen = runs[impl];
if (chosen === undefined) throw new Error(`unknown implementation ${impl}`);
const start = performance.now();
const results = await chosen();
const ms = performance.now() - start;
probe.sample();
if (results.length !== n || calls !== n)
  throw new Error(`${impl} returned ${results.length} results for ${calls} calls`);
emit({ impl, n, concurrency, ms, perSecond: n / (ms / 1000), peakHeapMB: probe.peakMB });
