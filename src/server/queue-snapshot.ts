/** A distributed queue as the server sees it: its workers and its jobs by state. */
export interface QueueSnapshot {
  readonly queue: string;
  readonly workers: readonly {
    readonly id: string;
    readonly host: string;
    readonly pid: number;
    readonly slots: number;
    readonly running: number;
    readonly at: number;
  }[];
  readonly jobs: Readonly<Record<string, number>>;
}

/** Reads the queue's state now (from Redis); rejects when it cannot. */
export type QueueReader = () => Promise<QueueSnapshot>;
