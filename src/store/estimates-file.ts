import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A config's learned durations as a small JSON file beside `history.db`, so that a run reads
 * them without loading SQLite. `history.db` stays the source: the file is written from it each
 * time a run is committed, and rebuilt from it when missing.
 */
export const estimatesFile = (dir: string, config: string): string =>
  join(dir, "estimates", `${encodeURIComponent(config)}.json`);

/** What the history learned of each task of a config, by task id. */
export interface Learned {
  /** Expected duration in ms. */
  readonly estimates: ReadonlyMap<string, number>;
  /** σ of the logarithm of its duration from run to run (0.2: about ±20 %). */
  readonly spreads: ReadonlyMap<string, number>;
}

/**
 * What `file` holds (`{"task": [ms, spread]}`; a file written before spreads were learned holds
 * `{"task": ms}`, read with no spreads); undefined when it is missing or unreadable.
 */
export function readLearned(file: string): Learned | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const estimates = new Map<string, number>();
    const spreads = new Map<string, number>();
    for (const [task, value] of Object.entries(parsed)) {
      const [ms, spread] = Array.isArray(value) ? (value as unknown[]) : [value];
      if (typeof ms !== "number") continue;
      estimates.set(task, ms);
      if (typeof spread === "number") spreads.set(task, spread);
    }
    return { estimates, spreads };
  } catch {
    return undefined;
  }
}

/** Replaces `file` whole (written beside it, then renamed): a reader never sees half of it. */
export function writeLearned(file: string, learned: Learned): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, toJson(learned));
  renameSync(partial, file);
}

/**
 * The maps as a JSON object, written out by hand: `JSON.stringify(Object.fromEntries(...))` of
 * 1,000 durations took 3.0 ms in a cold process (building an object with that many keys), this
 * and writing the file 0.8 ms (`node bench/probes/journal-costs.mjs`, its first round).
 */
function toJson({ estimates, spreads }: Learned): string {
  const members: string[] = [];
  for (const [task, ms] of estimates) {
    if (!Number.isFinite(ms)) continue;
    const spread = spreads.get(task);
    const value = spread !== undefined && Number.isFinite(spread) ? `[${ms},${spread}]` : `${ms}`;
    members.push(`${JSON.stringify(task)}:${value}`);
  }
  return `{${members.join(",")}}`;
}
