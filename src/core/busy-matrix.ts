/** A task as the slot × group matrix counts it: its group, worker and attempts. */
export interface BusyTask {
  readonly group?: string;
  /** The distributed worker of its last attempt; absent in a local run. */
  readonly worker?: string;
  readonly spans: readonly {
    readonly slot: number;
    readonly start: number;
    readonly end: number;
  }[];
}

/** Busy ms per group and slot, and per group and worker when tasks ran on workers. */
export interface BusyMatrix {
  readonly distribution: Readonly<Record<string, readonly number[]>>;
  readonly workerDistribution?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Who did what: each attempt's time on its slot, by the task's group (`other` without one), and
 * on the task's worker. The summary's matrix (insight.ts) and the dashboard's while a run goes.
 */
export function busyMatrix(tasks: Iterable<BusyTask>, concurrency: number): BusyMatrix {
  // Maps: a group named `__proto__` must not reach Object.prototype.
  const bySlot = new Map<string, number[]>();
  const byWorker = new Map<string, Map<string, number>>();
  for (const task of tasks) {
    const group = task.group ?? "other";
    for (const span of task.spans) {
      const length = span.end - span.start;
      let lanes = bySlot.get(group);
      if (lanes === undefined) bySlot.set(group, (lanes = new Array<number>(concurrency).fill(0)));
      lanes[span.slot] = (lanes[span.slot] ?? 0) + length;
      if (task.worker !== undefined) {
        let workers = byWorker.get(group);
        if (workers === undefined) byWorker.set(group, (workers = new Map<string, number>()));
        workers.set(task.worker, (workers.get(task.worker) ?? 0) + length);
      }
    }
  }
  return {
    distribution: Object.fromEntries(bySlot),
    ...(byWorker.size === 0
      ? {}
      : {
          workerDistribution: Object.fromEntries(
            [...byWorker].map(([group, workers]) => [group, Object.fromEntries(workers)]),
          ),
        }),
  };
}
