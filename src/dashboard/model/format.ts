// Numbers for people, as the terminal and the HTML report write them.

/** Milliseconds as a short duration: 850 ms, 1.24 s, 3m 05s. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

/** A ratio as a percentage: 0.973 → "97 %". */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

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
