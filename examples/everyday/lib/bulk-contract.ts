/** What bulk.ts and the variants it forks (bulk-variant.ts) agree on. */

/** What a variant reports to bulk.ts. */
export interface VariantReport {
  readonly ms: number;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  /** Error messages, by how many records failed with each. */
  readonly errors: Record<string, number>;
  /** The most queries the pool held queued at once. */
  readonly peakQueued: number;
  /** The most connections PostgreSQL had open to the database at once (sampled). */
  readonly peakConnections: number;
  /** Records inserted when the variant's promise settled (Promise.all: when it rejected). */
  readonly completedWhenSettled: number;
  /** Records inserted when every call had ended. */
  readonly completed: number;
  /** Records whose call started. */
  readonly started: number;
}

export const variants = [
  "one-at-a-time",
  "parallelMap",
  "p-map",
  "promise-all-pool",
  "promise-all-clients",
] as const;
export type Variant = (typeof variants)[number];
