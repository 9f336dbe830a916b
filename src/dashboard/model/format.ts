// Numbers for people: durations and ratios as the terminal and the HTML report write them
// (from core), and what only the dashboard shows.

export { duration, percent } from "../../core/index.js";

/** Bytes for people: 512 B, 4.0 KiB, 19.1 MiB, 1.50 GiB. */
export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 ** 2) return `${(count / 1024).toFixed(1)} KiB`;
  if (count < 1024 ** 3) return `${(count / 1024 ** 2).toFixed(1)} MiB`;
  return `${(count / 1024 ** 3).toFixed(2)} GiB`;
}

/** A rate with one decimal: "12.5/s". */
export function rate(perSec: number): string {
  return `${perSec.toFixed(1)}/s`;
}

/** A count with thousands separators: 12,345 (without the cost of loading a locale). */
export function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ",");
}
