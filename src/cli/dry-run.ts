import { join } from "node:path";
import { simulate, unreachable } from "../core/index.js";
import type { Command, Estimates, TaskGraph } from "../core/index.js";
import type { CacheMode, DryCacheStatus, DryTask } from "../cache/index.js";
import { duration, printable } from "../report/index.js";
import { UsageError } from "./args.js";
import type { Io } from "./io.js";

/** `parex run --dry --json`: the contract in docs/cli.md ("parex run --dry"). */
export interface DryRun {
  readonly dry: true;
  /** The cache mode the run would use (`off` with `--no-history`). */
  readonly cacheMode: CacheMode;
  /**
   * The tasks in the order the run would start them: the run's scheduler on a virtual clock,
   * each task taking its learned duration (the searched order, as a warm run takes it), or,
   * with none learned, all as long (the critical-path rule counting tasks).
   */
  readonly tasks: readonly DryTask[];
  /** How many tasks would hit, miss, are unknown, or are not cached. */
  readonly counts: Readonly<Record<DryCacheStatus, number>>;
}

/** Flags that ask for something a dry run does not do. */
const notWithDry = [
  "resume",
  "compare-sequential",
  "report",
  "trace",
  "watch",
  "dashboard",
  "dashboard-port",
  "dashboard-keep",
] as const;

/** Refuses flags that make no sense without running: said before the config is read. */
export function checkDryFlags(values: Readonly<Record<string, unknown>>): void {
  const clash = notWithDry.find((flag) => values[flag] !== undefined && values[flag] !== false);
  if (clash === undefined) return;
  throw new UsageError(
    `parex run: --dry runs nothing, so --${clash} has nothing to work on. Drop --${clash}, or --dry.`,
  );
}

/**
 * `parex run --dry`: the tasks a run would start, in the order it would start them, with their command, cwd,
 * dependencies, cache key and whether the local cache holds it. Runs nothing and writes
 * nothing: no history, no logs, no cache entry, and no entry is marked as used.
 */
export async function dryRun(
  graph: TaskGraph<Command>,
  options: {
    readonly projectDir: string;
    readonly mode: CacheMode;
    /** Why the cache is off when `--no-history` turned it off. */
    readonly noHistory: boolean;
    readonly json: boolean;
    readonly io: Io;
    /** The run's slots. */
    readonly concurrency: number;
    /** Learned durations; none with `--no-history`. */
    readonly estimates: Estimates;
    /** How much each task's duration varies (the searched order's samples). Default none. */
    readonly spreads?: Estimates;
  },
): Promise<number> {
  const { projectDir, io, noHistory } = options;
  const mode = noHistory ? "off" : options.mode;
  const cached = graph.tasks.some((task) => task.run.cache !== undefined);
  const { dryPlan, LocalCache, TaskKeys } = await import("../cache/index.js");
  const keys =
    mode === "off" || !cached ? undefined : new TaskKeys(graph, { projectDir, env: io.env });
  const local = new LocalCache(join(projectDir, ".parex", "cache"));
  const tasks = await dryPlan(graph, {
    projectDir,
    mode,
    keys,
    stores: [{ name: "local", store: local }],
  });
  const counts = { hit: 0, miss: 0, unknown: 0, off: 0 };
  for (const task of tasks) counts[task.cache]++;
  const { started } = simulate(graph, options.estimates, {
    concurrency: options.concurrency,
    ...(options.spreads === undefined ? {} : { spreads: options.spreads }),
  });
  const place = new Map(started.map((id, i) => [id, i]));
  const byStart = tasks.slice().sort((a, b) => (place.get(a.id) ?? 0) - (place.get(b.id) ?? 0));
  const result: DryRun = { dry: true, cacheMode: mode, tasks: byStart, counts };
  if (options.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(`${renderDryRun(result, noHistory ? "--no-history" : "--cache off")}\n`);
  return 0;
}

/** The plan in words: one block per task, then the counts. */
function renderDryRun(run: DryRun, offFlag: string): string {
  const lines = [
    `parex run --dry · ${run.tasks.length} task${run.tasks.length === 1 ? "" : "s"}, in the order they would start · nothing runs`,
  ];
  for (const task of run.tasks) {
    const command = typeof task.command === "string" ? task.command : task.command.join(" ");
    lines.push(
      "",
      printable(task.id),
      `  command  ${printable(command)}`,
      `  cwd      ${printable(task.cwd)}`,
      `  needs    ${task.dependsOn.length === 0 ? "-" : task.dependsOn.map(printable).join(", ")}`,
      `  cache    ${cacheWords(task, run.cacheMode, offFlag)}`,
      ...(task.cacheKey === undefined ? [] : [`  key      ${task.cacheKey}`]),
      ...(task.rootInputs === undefined ? [] : [`  root     ${rootWords(task.rootInputs)}`]),
    );
  }
  const { hit, miss, unknown, off } = run.counts;
  lines.push(
    "",
    `cache: ${hit} would hit, ${miss} would run, ${unknown} unknown (after a task that runs), ${off} not cached`,
  );
  return lines.join("\n");
}

/** The root files a key counts, or the globs that match none (an ignored file does not count). */
function rootWords({ globs, files }: NonNullable<DryTask["rootInputs"]>): string {
  if (files.length === 0) return `no file matches ${globs.map(printable).join(", ")}`;
  const shown = files.slice(0, 8).map(printable).join(", ");
  return files.length <= 8 ? shown : `${shown} and ${files.length - 8} more`;
}

function cacheWords(task: DryTask, mode: CacheMode, offFlag: string): string {
  switch (task.cache) {
    case "hit": {
      const ran = task.savedMs === undefined ? "" : `, ran ${duration(task.savedMs)} when stored`;
      return `would hit (${task.from ?? "local"}${ran}): restored, not run`;
    }
    case "miss":
      return mode === "write"
        ? "would run and be stored (--cache write)"
        : `would miss: it would run${mode === "read" ? "" : " and be stored"}${task.note === undefined ? "" : ` (${task.note})`}`;
    case "unknown":
      return `unknown: ${(task.after ?? []).map(printable).join(", ")} would run first and may change its key`;
    case "off":
      if (task.note !== undefined) return `off: ${task.note}`;
      return task.cached ? `off (${offFlag})` : "not cached (no inputs or outputs)";
    default:
      return unreachable(task.cache);
  }
}
