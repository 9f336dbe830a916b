/** The shortest wait between two folds of events into the page: 10 a second is live to the eye. */
export const minFoldMs = 100;
/** The longest: however heavy the page, it shows the run at least twice a second. */
export const maxFoldMs = 500;
/** The share of the main thread that folding and drawing may take: the rest is the person's. */
export const foldShare = 0.25;

/**
 * How long to wait, from the start of one fold, before the next, given what the last one cost
 * the main thread (script, style, layout and paint of its frame): a page that takes 40 ms to
 * draw a batch folds every 160 ms, so that key presses and scrolling still find the thread free
 * three quarters of the time (docs/dashboard.md, "Performance").
 */
export function foldInterval(lastCostMs: number): number {
  return Math.min(maxFoldMs, Math.max(minFoldMs, lastCostMs / foldShare));
}
