/**
 * Gantt lanes of a distributed run: one per worker and task it ran at once, so that a worker's
 * tasks share its lanes and two workers never share one. A task takes the first lane of its
 * worker that is free (its last task has ended), else a new lane; lanes are numbered in the
 * order they first appear, so a task's lane never changes once given.
 */
export class WorkerLanes {
  readonly #names: string[] = [];
  /** Per worker: each of its lanes' number and the task last placed on it. */
  readonly #byWorker = new Map<string, { readonly lane: number; occupant: string }[]>();

  /** The lanes' names: `host/pid`, and `host/pid (2)` for a worker's second lane. */
  get names(): readonly string[] {
    return this.#names;
  }

  /** A lane for task `id` on `worker`: the first whose occupant `hasLeft` says has ended. */
  place(worker: string, id: string, hasLeft: (occupant: string) => boolean): number {
    let lanes = this.#byWorker.get(worker);
    if (lanes === undefined) this.#byWorker.set(worker, (lanes = []));
    const free = lanes.find((lane) => lane.occupant === id || hasLeft(lane.occupant));
    if (free !== undefined) {
      free.occupant = id;
      return free.lane;
    }
    const lane = this.#names.length;
    this.#names.push(lanes.length === 0 ? worker : `${worker} (${lanes.length + 1})`);
    lanes.push({ lane, occupant: id });
    return lane;
  }
}

/** A finished task, as {@link lanesOfFinished} reads it. */
export interface TimedTask {
  readonly id: string;
  readonly worker?: string;
  readonly startMs?: number;
  readonly endMs?: number;
}

/**
 * The lanes of a finished run's tasks by worker: each task, in the order they started, on the
 * first lane of its worker whose last task had ended by then.
 */
export function lanesOfFinished(tasks: readonly TimedTask[]): {
  readonly laneOf: ReadonlyMap<string, number>;
  readonly names: readonly string[];
} {
  const lanes = new WorkerLanes();
  const laneOf = new Map<string, number>();
  const endOf = new Map(tasks.map((t) => [t.id, t.endMs ?? Infinity]));
  const started = tasks
    .filter((t) => t.worker !== undefined && t.startMs !== undefined)
    .sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
  for (const task of started) {
    const start = task.startMs ?? 0;
    const hasLeft = (occupant: string): boolean => (endOf.get(occupant) ?? Infinity) <= start;
    laneOf.set(task.id, lanes.place(task.worker ?? "", task.id, hasLeft));
  }
  return { laneOf, names: lanes.names };
}
