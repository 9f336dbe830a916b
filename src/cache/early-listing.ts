import { resolve } from "node:path";

/**
 * Git's listing of a directory, started before it is asked for. `parex run` of a cached build
 * spends most of its time before its first task loading its own code; git, started at the same
 * moment, lists the work tree on the other core meanwhile instead of after (about 30 ms of a
 * run of six hits, docs/cache.md "Speed"). A listing is given once, and only until a task has
 * run ({@link dropListings}): from then on, files may have changed since git listed them.
 */
const started = new Map<string, Promise<unknown>>();

/** Starts `list(dir)` now, for {@link takeListing} to give later; gives the listing under way. */
export function startListing<T>(dir: string, list: (dir: string) => Promise<T>): Promise<unknown> {
  const key = resolve(dir);
  let listing = started.get(key);
  if (listing === undefined) {
    listing = list(key);
    started.set(key, listing);
  }
  return listing;
}

/** The listing of `dir` started early, once; undefined when none was (or it was taken). */
export function takeListing<T>(dir: string): Promise<T> | undefined {
  const key = resolve(dir);
  const listing = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return listing;
}

/** Forgets every listing started early: a task has run, and what git listed may be stale. */
export function dropListings(): void {
  started.clear();
}
