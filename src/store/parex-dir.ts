import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the `.gitignore` of a `.parex` says. */
export const ignoreAll = "# Created by parex: this machine's run history and task logs.\n*\n";

/**
 * Creates the `.parex` directory `dir` when it is missing. One it creates ignores itself
 * (a `.gitignore` of `*`, as pytest and ruff do with their caches): history, journals and logs
 * are the machine's, and `git status` stays clean after a run without anyone editing
 * `.gitignore`. A `.parex` that exists is left as it is: its `.gitignore` may have been removed
 * on purpose.
 */
export function makeParexDir(dir: string): void {
  if (mkdirSync(dir, { recursive: true }) !== undefined) {
    writeFileSync(join(dir, ".gitignore"), ignoreAll);
  }
}
