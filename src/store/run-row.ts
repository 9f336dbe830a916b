/** A run as `parex history` lists it. */
export interface RunRow {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number | undefined;
  /** `running`, a RunStatus once it finished, or `interrupted`: its runner died before its end. */
  readonly status: string;
  readonly tasks: number;
  readonly concurrency: number;
  readonly summary: unknown;
  /** The run that resumed this one (`parex run --resume`), the last one when there were several. */
  readonly resumedBy: string | undefined;
}
