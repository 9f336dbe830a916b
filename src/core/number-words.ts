// Numbers as people read them: the terminal, the HTML report and the dashboard write the same.

/** Milliseconds as a short human duration: 850 ms, 1.24 s, 3m 05s. */
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
