import { basename, dirname, resolve } from "node:path";
import {
  checkTimerMs,
  describeValue,
  location,
  ParexError,
  strategies,
  unknownNameHint,
} from "../core/index.js";
import type { Command, GateSpec, Strategy, TaskSpec } from "../core/index.js";
import type { AlertsConfig, ServerConfig } from "./config.js";
import { isConcurrency, isRecord } from "./config-checks.js";
import { toPipeline } from "./pipeline-rules.js";
import type { Fail } from "./config-checks.js";
import { gatesOf, toSpec } from "./config-tasks.js";
import { checkAlerts } from "./validate-alerts.js";
import { validateServer } from "./validate-server.js";
import { checkGlobalInputs } from "./root-globs.js";
import { validateDistributed } from "./validate-distributed.js";
import type { DistributedConfig } from "./validate-distributed.js";
import { validateRemoteCache } from "./validate-remote-cache.js";
import type { RemoteCacheConfig } from "./validate-remote-cache.js";
import type { PipelineEntry } from "./workspaces.js";

/** A validated config: settings, and the tasks as specs whose actions are commands. */
export interface LoadedConfig {
  /** The config file, absolute. */
  readonly file: string;
  /** Its directory: relative `cwd`s start here. */
  readonly dir: string;
  readonly concurrency?: number | string;
  readonly strategy?: Strategy;
  readonly killGraceMs?: number;
  readonly tasks: readonly TaskSpec<Command>[];
  /** Run the pipeline's scripts in every workspace package. */
  readonly workspaces?: boolean;
  readonly pipeline?: Readonly<Record<string, PipelineEntry>>;
  /** Globs of files of its directory in every cached task's key (`tsconfig.base.json`). */
  readonly globalInputs?: readonly string[];
  /** The remote cache it names (url, team); flags and PAREX_REMOTE_CACHE_* variables win. */
  readonly remoteCache?: RemoteCacheConfig;
  /** The queue of distributed runs (redis, queue); `--redis`, PAREX_REDIS_URL and `--queue` win. */
  readonly distributed?: DistributedConfig;
  /** Rules on the run's numbers, and where to POST the alerts they raise. */
  readonly alerts?: AlertsConfig;
  /** The run's duration budget, in ms: a gate on the makespan. */
  readonly budgetMs?: number;
  /** The `parex serve` settings. */
  readonly server?: ServerConfig;
  /** Each task's quality gates, with the directory their files are read from. */
  readonly gates: ReadonlyMap<
    string,
    { readonly cwd: string; readonly gates: readonly GateSpec[] }
  >;
}

const settings = [
  "$schema",
  "concurrency",
  "strategy",
  "killGraceMs",
  "budgetMs",
  "alerts",
  "tasks",
  "workspaces",
  "pipeline",
  "globalInputs",
  "remoteCache",
  "distributed",
  "server",
];
/**
 * Checks a parsed config file and turns its tasks into specs. Every error names the file, the
 * path in it and the fix; the graph itself (ids, dependencies, cycles, policies) is checked
 * by `buildGraph` with the same file name.
 */
export function validateConfig(data: unknown, file: string): LoadedConfig {
  const name = basename(file);
  const fail = (path: string, message: string): never => {
    throw new ParexError("INVALID_CONFIG", message.replace("@", location(path, name)));
  };
  checkRoot(data, name, fail);
  const { concurrency, strategy, killGraceMs, budgetMs, alerts, tasks = {}, workspaces } = data;
  checkSettings(data, fail);
  const scripts = data.pipeline === undefined ? undefined : toPipeline(data.pipeline, fail);
  const globalInputs =
    data.globalInputs === undefined
      ? undefined
      : checkGlobalInputs(data.globalInputs, fail, "globalInputs", `${name}'s directory`);
  const remoteCache =
    data.remoteCache === undefined ? undefined : validateRemoteCache(data.remoteCache, fail);
  const distributed =
    data.distributed === undefined ? undefined : validateDistributed(data.distributed, fail);
  if (!isRecord(tasks))
    fail(
      "tasks",
      `Invalid tasks @: expected an object of tasks by id, got ${describeValue(tasks)}.`,
    );
  const dir = dirname(resolve(file));
  const taskIds = Object.keys(tasks as Record<string, unknown>);
  const server =
    data.server === undefined
      ? undefined
      : validateServer(data.server, { fail, source: name, taskIds });
  return {
    file: resolve(file),
    dir,
    ...(concurrency === undefined ? {} : { concurrency: concurrency as number | string }),
    ...(strategy === undefined ? {} : { strategy: strategy as Strategy }),
    ...(killGraceMs === undefined ? {} : { killGraceMs: killGraceMs as number }),
    ...(workspaces === true || scripts !== undefined ? { workspaces: true } : {}),
    ...(scripts === undefined ? {} : { pipeline: scripts }),
    ...(budgetMs === undefined ? {} : { budgetMs: budgetMs as number }),
    ...(alerts === undefined ? {} : { alerts: alerts as AlertsConfig }),
    ...(server === undefined ? {} : { server }),
    ...(globalInputs === undefined ? {} : { globalInputs }),
    ...(remoteCache === undefined ? {} : { remoteCache }),
    ...(distributed === undefined ? {} : { distributed }),
    tasks: Object.entries(tasks as Record<string, unknown>).map(([id, task]) =>
      toSpec(id, task, { dir, fail, globalInputs: globalInputs ?? [] }),
    ),
    gates: gatesOf(tasks as Record<string, unknown>, dir),
  };
}

/** The config is an object of known settings. */
function checkRoot(
  data: unknown,
  name: string,
  fail: Fail,
): asserts data is Record<string, unknown> {
  const root = /\.(ts|mts|js|mjs)$/.test(name) ? "default export" : "top level";
  if (data === undefined) {
    fail(
      root,
      `${name} has no default export @. Add one: export default defineConfig({ tasks: { ... } }).`,
    );
  }
  if (data === null) {
    throw new ParexError(
      "INVALID_CONFIG",
      `${name} is empty. Give it an object with \`tasks\`, like { "tasks": { "build": "tsc" } }.`,
    );
  }
  if (!isRecord(data)) {
    fail(root, `${name} must define an object with \`tasks\` @, got ${describeValue(data)}.`);
  }
  for (const key of Object.keys(data)) {
    if (!settings.includes(key)) {
      const known = unknownNameHint(key, settings, { what: "settings", none: "" });
      fail(key, `Unknown setting "${key}" @.${known}`);
    }
  }
}

/** The settings of the run: alerts, budget, slots, strategy, kill grace, workspaces. */
function checkSettings(data: Record<string, unknown>, fail: Fail): void {
  const { concurrency, strategy, killGraceMs, budgetMs, alerts, workspaces } = data;
  if (alerts !== undefined) checkAlerts(alerts, fail);
  const invalid = (key: string, expected: string, value: unknown): never =>
    fail(key, `Invalid ${key} @: expected ${expected}, got ${describeValue(value)}.`);
  if (budgetMs !== undefined && !(typeof budgetMs === "number" && budgetMs > 0))
    invalid("budgetMs", "a number of ms > 0", budgetMs);
  if (concurrency !== undefined && !isConcurrency(concurrency))
    invalid("concurrency", 'an integer ≥ 1 or a share of the CPUs like "50%"', concurrency);
  if (strategy !== undefined && !strategies.includes(strategy as Strategy))
    invalid("strategy", `one of ${strategies.map((s) => `"${s}"`).join(", ")}`, strategy);
  const grace =
    killGraceMs === undefined ? undefined : checkTimerMs(killGraceMs, { allowZero: true });
  if (grace !== undefined) invalid("killGraceMs", grace, killGraceMs);
  if (workspaces !== undefined && typeof workspaces !== "boolean")
    invalid("workspaces", "true or false", workspaces);
}
