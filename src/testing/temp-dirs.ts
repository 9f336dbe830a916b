import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Temporary directories made for one test file, removed together (`removeAll` in `after`). */
export interface TempDirs {
  /** A new empty directory under the system's temp dir. */
  readonly make: () => string;
  readonly removeAll: () => void;
}

/** A maker of temporary directories named `prefix` + random, kept for one `removeAll`. */
export function tempDirs(prefix: string): TempDirs {
  const made: string[] = [];
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
