import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { GraphLayout, GraphOutline, NodeBox } from "../core/index.js";
import { makeParexDir } from "../store/index.js";
import { runBrowserWorker } from "./browser-worker-thread.js";
import type { BrowserWorkerRun } from "./browser-worker-thread.js";
import { dashboardManifest } from "./dashboard-dir.js";

/**
 * From this many tasks on, a graph's layout is kept beside the history: dagre takes about 1 s
 * per 1,000 tasks, and the dashboard must draw a finished run within 1 s (docs/dashboard.md,
 * "Performance"). A smaller graph is laid out in the page in a fraction of that.
 */
export const keptFrom = 100;

/** How many layouts `.parex/layouts/` keeps: the most recently used. */
const kept = 16;

/** The layouts being made in this process, by file. */
const laying = new Map<string, Laying>();
/** The layouts that failed in this process, by file: not tried again. */
const failed = new Set<string>();
/** The last layout queued in this process: the next waits for it. */
let queue: Promise<void> = Promise.resolve();

/**
 * Task graphs laid out as the dashboard draws them, one file per graph in `.parex/layouts/`,
 * named by a hash of its tasks and dependencies and of the layout code: the graph of a project
 * rarely changes from run to run, so the first run of a graph lays it out and the next ones,
 * and every view of any of them, find it. The layout is the dashboard's own layout worker
 * (dagre, built by Vite into dist/dashboard), run in a worker thread: one layout code for the
 * page and the runner, and no layout package for the CLI to load.
 */
export class GraphLayouts {
  readonly #dir: string;
  /** The built layout worker's file: its name carries a hash of its code. */
  readonly #engine: string;

  private constructor(dir: string, engine: string) {
    this.#dir = dir;
    this.#engine = engine;
  }

  /**
   * The layouts kept in `parexDir`, laid out by the dashboard built in `dashboardDir`;
   * undefined when that build is missing (a checkout before `npm run build`): the page then
   * lays every graph out itself.
   */
  static open(parexDir: string, dashboardDir: string): GraphLayouts | undefined {
    let file: string | undefined;
    try {
      file = dashboardManifest(dashboardDir).find((e) => e.name === "layout-worker")?.file;
    } catch {
      return undefined;
    }
    return file === undefined
      ? undefined
      : new GraphLayouts(join(parexDir, "layouts"), join(dashboardDir, file));
  }

  /** `outline` with its kept layout, when there is one (for this graph: checked). */
  withLayout(outline: GraphOutline): GraphOutline {
    if (outline.layout !== undefined || outline.tasks.length < keptFrom) return outline;
    const layout = this.#read(this.#key(outline), outline);
    return layout === undefined ? outline : { ...outline, layout };
  }

  /**
   * Whether a layout of `outline` is kept (it then counts as used now, so the graphs in use
   * are the ones kept); cheaper than reading it, which a run needs only for a dashboard.
   */
  has(outline: GraphOutline): boolean {
    return this.#touch(join(this.#dir, `${this.#key(outline)}.json`));
  }

  /**
   * Lays `outline` out in a worker thread and keeps the layout. One graph at a time in this
   * process (a server asked for several graphs lays them out in turn), none twice, and none
   * again that failed or could not be kept. Its `done` never rejects; `stop` ends the worker.
   */
  layOut(outline: GraphOutline): Laying {
    const key = this.#key(outline);
    const file = join(this.#dir, `${key}.json`);
    const started = laying.get(file);
    if (started !== undefined) return started;
    if (failed.has(file)) return { done: Promise.resolve(), stop: () => undefined };
    let thread: BrowserWorkerRun<{ layout?: GraphLayout }> | undefined;
    let stopped = false;
    const tasks = outline.tasks.map(({ id, dependsOn }) => ({ id, dependsOn }));
    const done = queue
      .then(() => {
        if (stopped) return undefined;
        thread = runBrowserWorker(this.#engine, tasks);
        return thread.answer.then((answer) => answer?.layout);
      })
      .catch(() => undefined) // the worker thread could not start: a failed layout
      .then((layout) => {
        laying.delete(file);
        const kept = layout !== undefined && this.#write(key, layout);
        if (!kept && !stopped) failed.add(file);
      });
    queue = done;
    const handle: Laying = {
      done,
      stop: () => {
        stopped = true;
        thread?.stop();
      },
    };
    laying.set(file, handle);
    return handle;
  }

  #key(outline: GraphOutline): string {
    // The worker's file name, not its path: its hash names the layout code wherever it is.
    const hash = createHash("sha256").update(basename(this.#engine));
    for (const task of outline.tasks) hash.update(`${JSON.stringify([task.id, task.dependsOn])}\n`);
    return hash.digest("hex").slice(0, 32);
  }

  /**
   * The layout kept under `key`, if it is one of `outline` (a file cut short or edited is
   * none); found, it counts as used now.
   */
  #read(key: string, outline: GraphOutline): GraphLayout | undefined {
    const file = join(this.#dir, `${key}.json`);
    let layout: Partial<GraphLayout> | null;
    try {
      layout = JSON.parse(readFileSync(file, "utf8")) as Partial<GraphLayout> | null;
    } catch {
      return undefined; // none yet, or cut short: the page lays the graph out itself
    }
    const nodes: readonly (Partial<NodeBox> | null)[] | undefined = layout?.nodes;
    const fits =
      layout !== null &&
      Array.isArray(nodes) &&
      Array.isArray(layout.edges) &&
      nodes.length === outline.tasks.length &&
      nodes.every((node: Partial<NodeBox> | null, i) => node?.id === outline.tasks[i]?.id);
    if (!fits) return undefined;
    this.#touch(file);
    return layout as GraphLayout;
  }

  /** Marks `file` used now; false when there is no such file. */
  #touch(file: string): boolean {
    const now = new Date();
    try {
      utimesSync(file, now, now);
      return true;
    } catch (error) {
      // On a read-only .parex, a layout there is kept as long as it would have been anyway.
      return (error as NodeJS.ErrnoException).code !== "ENOENT";
    }
  }

  /**
   * Written whole (renamed into place), then the least recently used beyond {@link kept}
   * removed, never the one just written. False when it could not be written.
   */
  #write(key: string, layout: GraphLayout): boolean {
    const name = `${key}.json`;
    const file = join(this.#dir, name);
    try {
      makeParexDir(dirname(this.#dir));
      mkdirSync(this.#dir, { recursive: true });
      writeFileSync(`${file}.${process.pid}`, JSON.stringify(layout));
      renameSync(`${file}.${process.pid}`, file);
    } catch {
      return false; // a full disk or a read-only .parex: the page lays the graph out itself
    }
    try {
      const others = readdirSync(this.#dir)
        .filter((other) => other.endsWith(".json") && other !== name)
        .map((other) => ({ other, at: statSync(join(this.#dir, other)).mtimeMs }))
        .sort((a, b) => b.at - a.at);
      for (const { other } of others.slice(kept - 1))
        rmSync(join(this.#dir, other), { force: true });
    } catch {
      // another runner pruned at the same time
    }
    return true;
  }
}

/** A layout being made: `done` once it is kept (or failed); `stop` ends it. */
export interface Laying {
  readonly done: Promise<void>;
  readonly stop: () => void;
}
