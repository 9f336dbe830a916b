import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * What `parex run` starts before its own code has loaded: git's listing of the project, when
 * the run is in a project whose cache has been used (its `.parex/cache` exists) and the cache
 * is not turned off. The first cache key of the run takes it (src/cache/early-listing.ts). In
 * any other project this costs nothing; in one whose run turns out to list another directory,
 * one unused git listing.
 */
export function startRunEarly(argv: readonly string[], cwd: string): void {
  if (cacheOff(argv) || !existsSync(join(cwd, ".parex", "cache"))) return;
  void import("../cache/index.js").then(
    ({ listGitFilesEarly }) => listGitFilesEarly(cwd),
    () => undefined, // the run loads the same code and says what is wrong with it
  );
}

function cacheOff(argv: readonly string[]): boolean {
  return argv.some(
    (arg, i) => arg === "--cache=off" || (arg === "--cache" && argv[i + 1] === "off"),
  );
}
