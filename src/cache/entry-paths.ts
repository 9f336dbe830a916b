import type { ArtifactEntry } from "./tar-codec.js";

/** The error thrown for an artifact entry that must not be restored; `why` ends the sentence. */
export function refusal(path: string, why: string): Error {
  return new Error(
    `Refusing cache artifact entry "${path}": ${why}. The artifact is damaged or was crafted; delete it from the cache.`,
  );
}

/**
 * Why `path` is not a plain relative POSIX path (no leading `/` or drive, no `..`, `.` or empty
 * segment, no backslash, which is a separator on Windows), or undefined when it is one.
 */
export function pathProblem(path: string): string | undefined {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "its path is absolute";
  const segments = path.split(/[\\/]/);
  if (segments.includes("..")) return "its path contains '..'";
  if (path.includes("\\")) return "its path contains a backslash";
  if (segments.some((segment) => segment === "" || segment === ".")) {
    return "its path is not a plain relative path";
  }
  return undefined;
}

/**
 * Throws {@link refusal} for the first entry that could write outside the directory it is
 * restored into, judged from the archive alone: an absolute path or one with `..`, a path
 * given twice, or a path beneath another entry (`link/x` after the symlink `link`, which would
 * write through it). The disk is judged while writing.
 */
export function checkEntryPaths(entries: readonly ArtifactEntry[]): void {
  const seen = new Map<string, ArtifactEntry["type"]>();
  for (const { path, type } of entries) {
    const problem = pathProblem(path);
    if (problem !== undefined) throw refusal(path, problem);
    if (seen.has(path)) throw refusal(path, "it appears twice");
    seen.set(path, type);
  }
  for (const { path } of entries) {
    for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
      const above = path.slice(0, cut);
      const kind = seen.get(above);
      if (kind === "symlink") {
        throw refusal(path, `it would be written through the symlink "${above}"`);
      }
      if (kind === "file") throw refusal(path, `it lies beneath the file "${above}"`);
    }
  }
}
