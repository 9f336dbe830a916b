import type { CacheMeta } from "./local-cache.js";

/** A store that can say whether it holds a key, without restoring it or counting it as a use. */
export interface EntryStore {
  /** Whether an entry is stored under `key`. */
  has(key: string): Promise<boolean>;
  /** What is kept beside the entry, if anything. */
  meta(key: string): Promise<CacheMeta | undefined>;
}

/** Where an entry was found: which store, and its meta when the store keeps one. */
export interface FoundEntry {
  /** The name the store was given (`local`). */
  readonly store: string;
  readonly meta?: CacheMeta;
}

/**
 * The first of `stores` that holds `key`, asked in order (the local cache first, as a run would
 * look); undefined when none does.
 */
export async function findEntry(
  key: string,
  stores: readonly { readonly name: string; readonly store: EntryStore }[],
): Promise<FoundEntry | undefined> {
  for (const { name, store } of stores) {
    if (!(await store.has(key))) continue;
    const meta = await store.meta(key);
    return meta === undefined ? { store: name } : { store: name, meta };
  }
  return undefined;
}
