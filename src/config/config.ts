import type {
  AlertRule,
  BreakerPolicy,
  GateSpec,
  ReadyProbe,
  RetryPolicy,
  Strategy,
} from "../core/index.js";

/** A command: a string runs through `sh -c`; an array runs without a shell. */
export type CommandLine = string | readonly string[];

/** A quality gate on a task's result: the same data core's `evaluateGate` reads. */
export type GateConfig = GateSpec;

/** Alert rules and where to deliver what they raise. */
export interface AlertsConfig {
  readonly rules: readonly AlertRule[];
  /** POSTed as JSON once per run that raised alerts; one try, bounded by timeoutMs (default 5,000). */
  readonly webhook?: { readonly url: string; readonly timeoutMs?: number };
}

/** One task of a config file. */
export interface TaskConfig {
  readonly run: CommandLine;
  readonly dependsOn?: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly priority?: number;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly breaker?: BreakerPolicy;
  /** A command run once when every attempt failed. */
  readonly fallback?: CommandLine;
  readonly optional?: boolean;
  readonly slots?: number;
  readonly mutex?: string;
  /** A long-running service: dependents start once it is ready; it is stopped when the run ends. */
  readonly persistent?: boolean;
  readonly ready?: ReadyProbe;
  readonly gates?: readonly GateConfig[];
}

/** A parex config file (`parex.config.ts`, `.json`, `.yaml`). */
export interface ParexConfig {
  /** Slots: a number, or a share of the CPUs like `"50%"`. Default: the number of CPUs. */
  readonly concurrency?: number | `${number}%`;
  /** Default `"all"`. */
  readonly strategy?: Strategy;
  /** After SIGTERM, how long a task's processes have before SIGKILL, in ms. Default 5,000. */
  readonly killGraceMs?: number;
  readonly tasks?: Readonly<Record<string, TaskConfig>>;
  /** Run `pipeline` scripts in every npm / pnpm / yarn workspace package. */
  readonly workspaces?: boolean;
  /** Scripts to run in each workspace package, with their dependencies (`^build`: upstream builds). */
  readonly pipeline?: Readonly<
    Record<
      string,
      { readonly dependsOn?: readonly string[] } & Omit<Partial<TaskConfig>, "run" | "dependsOn">
    >
  >;
  /** The run's duration budget, in ms: a gate on the makespan. */
  readonly budgetMs?: number;
  readonly alerts?: AlertsConfig;
  /** The HTTP service's settings (`parex serve`). */
  readonly server?: Readonly<Record<string, unknown>>;
}

/**
 * Types a config file's default export: `export default defineConfig({ ... })`, or a function
 * computing it, `defineConfig(async () => ({ ... }))`, for configs that need free ports or
 * temporary directories.
 */
export function defineConfig<C extends ParexConfig | (() => ParexConfig | Promise<ParexConfig>)>(
  config: C,
): C {
  return config;
}
