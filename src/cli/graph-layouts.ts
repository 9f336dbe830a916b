import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { GraphLayout, GraphOutline } from "../core/index.js";
import { dashboardManifest } from "./dashboard-dir.js";

/**
 * From this many tasks on, a graph's layout is kept beside the history: dagre takes about 1 s
 * per 1,000 tasks, and the dashboard must draw a finished run within 1 s (docs/dashboard.md,
 * "Performance"). A smaller graph is laid out in the page in a fraction of that.
 */
export const keptFrom = 100;

/** How many layouts `.parex/layouts/` keeps: the most recently written. */
const kept = 16;

/** The layouts being made in this process, by file. */
const laying = new Map<string, Promise<void>>();

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

  /** `outline` with its kept layout, when there is one. */
  withLayout(outline: GraphOutline): GraphOutline {
    if (outline.layout !== undefined || outline.tasks.length < keptFrom) return outline;
    const layout = this.#read(this.#key(outline));
    return layout === undefined ? outline : { ...outline, layout };
  }

  /**
   * Lays `outline` out in a worker thread and keeps the layout; its promise never rejects.
   * A graph being laid out in this process already is not laid out twice.
   */
  layOut(outline: GraphOutline): Promise<void> {
    const key = this.#key(outline);
    const file = join(this.#dir, `${key}.json`);
    const started = laying.get(file);
    if (started !== undefined) return started;
    const worker = new Worker(shim, { eval: true, workerData: this.#engine });
    worker.unref();
    const done = new Promise<GraphLayout | undefined>((resolve) => {
      worker.once("message", (message: { layout?: GraphLayout }) => resolve(message.layout));
      worker.once("error", () => resolve(undefined));
      worker.once("exit", () => resolve(undefined));
    }).then((layout) => {
      void worker.terminate();
      if (layout !== undefined) this.#write(key, layout);
      laying.delete(file);
    });
    laying.set(file, done);
    worker.postMessage(outline.tasks.map(({ id, dependsOn }) => ({ id, dependsOn })));
    return done;
  }

  #key(outline: GraphOutline): string {
    // The worker's file name, not its path: its hash names the layout code wherever it is.
    const hash = createHash("sha256").update(basename(this.#engine));
    for (const task of outline.tasks) hash.update(`\n${task.id}\0${task.dependsOn.join("\0")}`);
    return hash.digest("hex").slice(0, 32);
  }

  #read(key: string): GraphLayout | undefined {
    try {
      return JSON.parse(readFileSync(join(this.#dir, `${key}.json`), "utf8")) as GraphLayout;
    } catch {
      return undefined; // none yet, or cut short: the page lays the graph out itself
    }
  }

  /** Written whole (renamed into place), then the oldest beyond {@link kept} removed. */
  #write(key: string, layout: GraphLayout): void {
    try {
      mkdirSync(this.#dir, { recursive: true });
      const file = join(this.#dir, `${key}.json`);
      writeFileSync(`${file}.${process.pid}`, JSON.stringify(layout));
      renameSync(`${file}.${process.pid}`, file);
      const files = readdirSync(this.#dir)
        .filter((name) => name.endsWith(".json"))
        .map((name) => ({ name, at: statSync(join(this.#dir, name)).mtimeMs }))
        .sort((a, b) => b.at - a.at);
      for (const old of files.slice(kept)) rmSync(join(this.#dir, old.name), { force: true });
    } catch {
      // A layout is a convenience: a full disk or a missing directory costs the page its time.
    }
  }
}

/**
 * Runs the browser worker script named by `workerData` in a worker thread: it sets
 * `onmessage` on the global object and answers with `postMessage`, as in a page.
 */
const shim = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { runInThisContext } = require("node:vm");
globalThis.postMessage = (message) => parentPort.postMessage(message);
runInThisContext(readFileSync(workerData, "utf8"), { filename: workerData });
parentPort.once("message", (data) => globalThis.onmessage({ data }));
`;
