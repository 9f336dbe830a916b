/** A run as `parex history` lists it. */
export interface RunRow {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number | undefined;
  readonly status: string;
  readonly tasks: number;
  readonly concurrency: number;
  readonly summary: unknown;
}
