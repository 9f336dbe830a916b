import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A config's learned durations as a small JSON file beside `history.db`, so that a run reads
 * them without loading SQLite. `history.db` stays the source: the file is written from it each
 * time a run is committed, and rebuilt from it when missing.
 */
export const estimatesFile = (dir: string, config: string): string =>
  join(dir, "estimates", `${encodeURIComponent(config)}.json`);

/** The durations in `file`, in ms by task id; undefined when it is missing or unreadable. */
export function readEstimates(file: string): Map<string, number> | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    return new Map(
      Object.entries(parsed).filter(
        (entry): entry is [string, number] => typeof entry[1] === "number",
      ),
    );
  } catch {
    return undefined;
  }
}

/** Replaces `file` whole (written beside it, then renamed): a reader never sees half of it. */
export function writeEstimates(file: string, estimates: ReadonlyMap<string, number>): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, toJson(estimates));
  renameSync(partial, file);
}

/**
 * The map as a JSON object, written out by hand: `JSON.stringify(Object.fromEntries(...))` of
 * 1,000 durations took 3.0 ms in a cold process (building an object with that many keys), this
 * and writing the file 0.8 ms (`node bench/probes/journal-costs.mjs`, its first round).
 */
function toJson(estimates: ReadonlyMap<string, number>): string {
  const members: string[] = [];
  for (const [task, ms] of estimates) {
    if (Number.isFinite(ms)) members.push(`${JSON.stringify(task)}:${ms}`);
  }
  return `{${members.join(",")}}`;
}
