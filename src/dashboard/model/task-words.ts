import { bytes, duration } from "./format.js";
import type { TaskRow } from "./task-table.js";

/** A task in a few lines: status, times, attempts, CPU and memory (the charts' tooltip). */
export function barTitle(row: TaskRow): string {
  const lines = [`${row.id} · ${row.status}${row.reason ? ` (${row.reason})` : ""}`];
  if (row.startMs !== undefined) {
    const end = row.endMs === undefined ? "running" : duration(row.endMs);
    const took = row.endMs === undefined ? "" : ` (${duration(row.endMs - row.startMs)})`;
    lines.push(`${duration(row.startMs)} → ${end}${took}, slot ${row.slot ?? "-"}`);
  }
  if (row.worker !== undefined) lines.push(`worker: ${row.worker}`);
  const retries = row.retries > 0 ? `, ${row.retries} retr${row.retries === 1 ? "y" : "ies"}` : "";
  lines.push(`attempts: ${row.attempts}${retries}${row.fallbackUsed ? ", fallback used" : ""}`);
  if (row.cpuMs !== undefined) lines.push(`CPU: ${duration(row.cpuMs)}`);
  if (row.peakRssBytes !== undefined) lines.push(`peak memory: ${bytes(row.peakRssBytes)}`);
  if (row.error !== undefined) lines.push(row.error);
  return lines.join("\n");
}
