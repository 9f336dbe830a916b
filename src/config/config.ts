import type {
  AlertRule,
  BreakerPolicy,
  GateSpec,
  ReadyProbe,
  RetryPolicy,
  ServiceSpec,
  Strategy,
} from "../core/index.js";

/** A command: a string runs through `sh -c`; an array runs without a shell. */
export type CommandLine = string | readonly string[];

/** A quality gate on a task's result: the same data core's `evaluateGate` reads. */
export type GateConfig = GateSpec;

/** Alert rules and where to deliver what they raise. */
export interface AlertsConfig {
  readonly rules: readonly AlertRule[];
  /** POSTed as JSON once per run that raised alerts; one try, bounded by timeoutMs (whole ms, default 5,000). */
  readonly webhook?: { readonly url: string; readonly timeoutMs?: number };
}

/** One task of a config file. */
export interface TaskConfig {
  readonly run: CommandLine;
  readonly dependsOn?: readonly string[];
  readonly cwd?: string;
  /** Values set, and `{ external: true }` for variables of the runner's environment in its cache key; or a list of such names. */
  readonly env?: Readonly<Record<string, string | { readonly external: true }>> | readonly string[];
  /** Globs of the files it writes, restored on a cache hit (docs/cache.md). */
  readonly outputs?: readonly string[];
  /**
   * Globs of the files it reads; `$root/…` globs are of the config file's directory. Default:
   * every file under its cwd but the outputs.
   */
  readonly inputs?: readonly string[];
  /** Default: true when outputs or inputs are given. */
  readonly cache?: boolean;
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
  /** After SIGTERM, how long a task's processes have before SIGKILL, in ms (at most 2^31 − 1). Default 5,000. */
  readonly killGraceMs?: number;
  readonly tasks?: Readonly<Record<string, TaskConfig>>;
  /** Run `pipeline` scripts in every npm / pnpm / yarn workspace package. */
  readonly workspaces?: boolean;
  /**
   * Scripts to run in each workspace package, by script (`build`) or package script
   * (`web#build`): what each waits for (`^build`: upstream builds) and how the cache treats it.
   */
  readonly pipeline?:
    | readonly string[]
    | Readonly<
        Record<
          string,
          {
            readonly dependsOn?: readonly string[];
            /** Globs of the files it writes, relative to the package. Default: none, the log is replayed. */
            readonly outputs?: readonly string[];
            /**
             * Globs of the files it reads; `$root/…` globs are of the workspace root. Default:
             * every file of the package but the outputs.
             */
            readonly inputs?: readonly string[];
            /** Names of the runner's variables whose values are in its cache key. */
            readonly env?: readonly string[];
            /** false: never cached. Default: true. */
            readonly cache?: boolean;
          }
        >
      >;
  /** Globs of files of the config file's directory in every cached task's key. */
  readonly globalInputs?: readonly string[];
  /**
   * The remote cache (turbo's API): its URL and team, never its token (PAREX_REMOTE_CACHE_TOKEN).
   * `--remote-cache`, `--team` and the PAREX_REMOTE_CACHE_* variables win over these.
   */
  readonly remoteCache?: { readonly url?: string; readonly team?: string };
  /**
   * The queue of distributed runs and workers: its Redis (never with a password: that goes in
   * PAREX_REDIS_URL) and queue name. `--redis`, PAREX_REDIS_URL and `--queue` win over these.
   */
  readonly distributed?: { readonly redis?: string; readonly queue?: string };
  /** The run's duration budget, in ms: a gate on the makespan. */
  readonly budgetMs?: number;
  readonly alerts?: AlertsConfig;
  /** The HTTP service's settings (`parex serve`). */
  readonly server?: ServerConfig;
}

/** How `parex serve` verifies bearer tokens. */
export interface AuthConfig {
  /** Pinned algorithms: HS256/384/512, or RS256/384/512 and ES256/384 (never mixed). Default ["HS256"]. */
  readonly algorithms?: readonly string[];
  /** The environment variable holding the HMAC secret. Default `PAREX_JWT_SECRET`. */
  readonly secretEnv?: string;
  /** An RSA or EC public key, PEM text. */
  readonly publicKey?: string;
  /** A file holding the PEM public key (relative to the config file). */
  readonly publicKeyFile?: string;
  /** A file holding a JSON Web Key Set (relative to the config file). */
  readonly jwksFile?: string;
  /** Required `iss`, when set. */
  readonly issuer?: string;
  /** Required `aud`, when set. */
  readonly audience?: string;
  /** Leeway for exp and nbf, in seconds. Default 5. */
  readonly clockToleranceSec?: number;
}

/** The `server` section: the shape in docs/server.md. */
export interface ServerConfig {
  /** Default 3000; `--port` overrides it. */
  readonly port?: number;
  /** Default 127.0.0.1; `--host` overrides it. */
  readonly host?: string;
  readonly auth?: AuthConfig;
  /** What POST /api/v1/orchestrate may call, by name: nothing else. */
  readonly services?: Readonly<Record<string, ServiceSpec>>;
  /** Pipelines POST /api/v1/runs may start: task ids of this config (with their dependencies). */
  readonly pipelines?: Readonly<Record<string, readonly string[]>>;
  /** Requests per client per window, or false. Default { max: 100, timeWindowMs: 60000 }. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number } | false;
  /** Largest request body in bytes. Default 65,536. */
  readonly bodyLimitBytes?: number;
  /**
   * How many orchestrations are served at once and how long others may wait before a 503
   * OVERLOADED; false: no bound. Defaults in docs/server.md ("Under overload").
   */
  readonly admission?:
    | {
        readonly maxInFlight?: number;
        readonly minInFlight?: number;
        readonly maxQueued?: number;
        readonly maxQueueMs?: number;
        readonly shedAfterMs?: number;
        readonly maxLoopDelayMs?: number;
        readonly maxPipelineRuns?: number;
      }
    | false;
  /** What SIGTERM does to running pipelines. Default { runs: "finish", graceMs: 10000 }. */
  readonly shutdown?: { readonly runs: "cancel" | "finish"; readonly graceMs?: number };
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
