// A stand-in for infinitely fast workers: a BullMQ worker on QUEUE that answers every job at
// once with a succeeded attempt, running nothing. What is left of a round trip is the
// coordinator's, BullMQ's and Redis's own cost.
//   node bench/lib/instant-worker.mjs REDIS_URL QUEUE CONCURRENCY
// Prints "ready" once it takes jobs; stops on SIGTERM.
import { Worker } from "bullmq";
import { Redis } from "ioredis";

const [url, queue, concurrency = "64"] = process.argv.slice(2);
if (url === undefined || queue === undefined) {
  console.error("usage: instant-worker.mjs REDIS_URL QUEUE [CONCURRENCY]");
  process.exit(2);
}
const id = `instant/${process.pid}`;
const publisher = new Redis(url);
// As a parex worker does: the result is said on the run's channel (src/distributed/names.ts
// names it), which is where the coordinator hears it, and returned to BullMQ.
const worker = new Worker(
  queue,
  async (job) => {
    const result = { ok: true, worker: id, chunks: 0 };
    const message = { jobId: job.id, type: "ended", result };
    await publisher.publish(`parex:${queue}:output:${job.data.runId}`, JSON.stringify(message));
    return result;
  },
  {
    connection: { url, maxRetriesPerRequest: null },
    concurrency: Number(concurrency),
  },
);
worker.on("error", (error) => console.error(`instant worker: ${error.message}`));
await worker.waitUntilReady();
console.log("ready");
process.on("SIGTERM", () => {
  void worker.close().then(() => {
    publisher.disconnect();
    process.exit(0);
  });
});
