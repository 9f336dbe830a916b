import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Directories never watched: git's own, installed packages, parex's runs and cache. */
export const unwatched: ReadonlySet<string> = new Set([".git", "node_modules", ".parex"]);

/** A tree being watched. */
export interface TreeWatch {
  /** Stops every watcher. */
  close(): void;
  /** How many directories are watched. */
  readonly size: number;
}

/**
 * Watches `root` and every directory below it but those named in {@link unwatched}, one
 * non-recursive `fs.watch` each (Node 20's recursive mode cannot leave `node_modules` out),
 * and directories created later too. `onChange` gets the absolute path of what changed (a
 * file, or a directory created, renamed or removed).
 */
export function watchTree(root: string, onChange: (path: string) => void): TreeWatch {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string): void => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (name === null) return;
        const path = join(dir, name);
        onChange(path);
        if (!unwatched.has(name) && isDirectory(path)) walk(path);
      });
    } catch {
      return; // gone already, or unreadable: nothing to watch there
    }
    // A watched directory removed: its watcher errs (or ends); the parent reported the removal.
    watcher.on("error", () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
  };
  const walk = (dir: string): void => {
    add(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !unwatched.has(entry.name)) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return {
    close: () => {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    get size() {
      return watchers.size;
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
