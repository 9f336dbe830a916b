// A stand-in for infinitely fast workers: a BullMQ worker on QUEUE that answers every job at
// once with a succeeded attempt, running nothing. What is left of a round trip is the
// coordinator's, BullMQ's and Redis's own cost.
//   node bench/lib/instant-worker.mjs REDIS_URL QUEUE CONCURRENCY
// Prints "ready" once it takes jobs; stops on SIGTERM.
import { Worker } from "bullmq";

const [url, queue, concurrency = "64"] = process.argv.slice(2);
if (url === undefined || queue === undefined) {
  console.error("usage: instant-worker.mjs REDIS_URL QUEUE [CONCURRENCY]");
  process.exit(2);
}
const id = `instant/${process.pid}`;
const worker = new Worker(queue, async () => ({ ok: true, worker: id }), {
  connection: { url, maxRetriesPerRequest: null },
  concurrency: Number(concurrency),
});
worker.on("error", (error) => console.error(`instant worker: ${error.message}`));
await worker.waitUntilReady();
console.log("ready");
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
