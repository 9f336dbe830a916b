import { availableParallelism, cpus, freemem, loadavg, totalmem } from "node:os";
import type { FastifyInstance } from "fastify";
import { readers } from "./runs-routes.js";
import { apiErrors } from "./schemas.js";

const systemSchema = {
  type: "object",
  properties: {
    cpus: { type: "integer", description: "CPUs this process may use." },
    loadAvg: {
      type: "array",
      items: { type: "number" },
      description: "The 1, 5 and 15 minute load averages (0s on Windows).",
    },
    cpuBusy: {
      type: "number",
      description:
        "Share of the machine's CPU time spent busy (0–1) since the previous answer (since the server started, for the first).",
    },
    memory: {
      type: "object",
      properties: { totalBytes: { type: "integer" }, freeBytes: { type: "integer" } },
    },
    rssBytes: { type: "integer", description: "The server's (the runner's) resident memory." },
  },
} as const;

/** The CPU time of every core so far, busy and in all, in ms. */
function cpuTimes(): { readonly busy: number; readonly total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * `GET /api/v1/system`: the machine's CPUs, load and memory and this process's, sampled when
 * asked (the dashboard polls it while a run is live). Not rate limited: it is cheap, and a
 * dashboard left open asks every few seconds.
 */
export function systemRoute(app: FastifyInstance): void {
  let last = cpuTimes();
  app.get(
    "/api/v1/system",
    {
      config: { cookieAuth: true, rateLimit: false },
      schema: {
        summary: "The machine's CPU and memory, and the server's own memory, now",
        tags: ["operations"],
        security: readers,
        response: { 200: systemSchema, ...apiErrors },
      },
    },
    () => {
      const now = cpuTimes();
      const total = now.total - last.total;
      const cpuBusy = total > 0 ? (now.busy - last.busy) / total : 0;
      last = now;
      return {
        cpus: availableParallelism(),
        loadAvg: loadavg(),
        cpuBusy: Math.round(cpuBusy * 1000) / 1000,
        memory: { totalBytes: totalmem(), freeBytes: freemem() },
        rssBytes: process.memoryUsage.rss(),
      };
    },
  );
}
