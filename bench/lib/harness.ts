/** What every scenario of the harness shares: statistics, tables, child benchmark processes. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export type Row = Record<string, number | string>;

/** A scenario's page of results. */
export interface ScenarioResult {
  readonly title: string;
  readonly command: string;
  readonly table: string;
  readonly verdicts: readonly string[];
  /** Notes printed under the table: skipped peers, how to read it. */
  readonly notes?: readonly string[];
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median (the mean of the middle two for an even count), min and max of the finite values. */
export function stats(values: readonly number[]): Stats {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return {
    median:
      sorted.length % 2 === 1
        ? (sorted[Math.floor(middle)] ?? Number.NaN)
        : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const fmt = (n: number, digits = 2): string =>
  Number.isFinite(n) ? n.toFixed(digits) : "—";

/** "median (min–max)" */
export const spread = (s: Stats, digits = 2): string =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export function markdown(headers: readonly string[], rows: readonly (string | number)[][]): string {
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Runs a benchmark script in a fresh Node process; each stdout line is one JSON row. */
export function node(script: string, scriptArgs: readonly (string | number)[]): Row[] {
  const result = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", script, ...scriptArgs.map(String)],
    { cwd: root, encoding: "utf8" },
  );
  if (result.status !== 0)
    throw new Error(`${script} ${scriptArgs.join(" ")} failed:\n${result.stderr}`);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row);
}

/** Measures each implementation `reps` times, interleaved; returns the rows by implementation. */
export function repeat(
  script: string,
  impls: readonly string[],
  reps: number,
  rest: readonly (string | number)[],
): Map<string, Row[]> {
  const byImpl = new Map<string, Row[]>(impls.map((i) => [i, []]));
  for (let r = 0; r < reps; r++)
    for (const impl of impls) byImpl.get(impl)?.push(...node(script, [impl, ...rest]));
  return byImpl;
}
