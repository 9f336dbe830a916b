import { basename, dirname, resolve } from "node:path";
import {
  checkTimerMs,
  describeValue,
  location,
  ParexError,
  strategies,
  taskPath,
  unknownNameHint,
} from "../core/index.js";
import type { Command, GateSpec, ReadyProbe, Strategy, TaskSpec } from "../core/index.js";
import type { AlertsConfig, ServerConfig } from "./config.js";
import { validateServer } from "./validate-server.js";
import {
  checkGate,
  checkProbe,
  hint,
  isCommandLine,
  isConcurrency,
  isRecord,
  toPipeline,
} from "./config-checks.js";
import type { Fail } from "./config-checks.js";
import { checkAlerts } from "./validate-alerts.js";
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
  "server",
];
/** Fields the config layer turns into the command; the rest are core policies. */
const configOnly = new Set(["run", "fallback", "cwd", "env", "ready", "gates"]);
const taskFields = [
  "run",
  "dependsOn",
  "cwd",
  "env",
  "group",
  "priority",
  "timeoutMs",
  "retry",
  "breaker",
  "fallback",
  "optional",
  "slots",
  "mutex",
  "persistent",
  "ready",
  "gates",
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
  const root = /\.(ts|mts|js|mjs)$/.test(name) ? "default export" : "top level";
  if (data === undefined) {
    return fail(
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
    return fail(
      root,
      `${name} must define an object with \`tasks\` @, got ${describeValue(data)}.`,
    );
  }
  for (const key of Object.keys(data)) {
    if (!settings.includes(key)) {
      const known = unknownNameHint(key, settings, { what: "settings", none: "" });
      fail(key, `Unknown setting "${key}" @.${known}`);
    }
  }
  const {
    concurrency,
    strategy,
    killGraceMs,
    budgetMs,
    alerts,
    tasks = {},
    workspaces,
    pipeline,
    server,
  } = data;
  if (alerts !== undefined) checkAlerts(alerts, fail);
  if (budgetMs !== undefined && !(typeof budgetMs === "number" && budgetMs > 0)) {
    fail(
      "budgetMs",
      `Invalid budgetMs @: expected a number of ms > 0, got ${describeValue(budgetMs)}.`,
    );
  }
  if (concurrency !== undefined && !isConcurrency(concurrency)) {
    fail(
      "concurrency",
      `Invalid concurrency @: expected an integer ≥ 1 or a share of the CPUs like "50%", got ${describeValue(concurrency)}.`,
    );
  }
  if (strategy !== undefined && !strategies.includes(strategy as Strategy)) {
    fail(
      "strategy",
      `Invalid strategy @: expected one of ${strategies.map((s) => `"${s}"`).join(", ")}, got ${describeValue(strategy)}.`,
    );
  }
  const grace =
    killGraceMs === undefined ? undefined : checkTimerMs(killGraceMs, { allowZero: true });
  if (grace !== undefined) {
    fail(
      "killGraceMs",
      `Invalid killGraceMs @: expected ${grace}, got ${describeValue(killGraceMs)}.`,
    );
  }
  if (workspaces !== undefined && typeof workspaces !== "boolean") {
    fail(
      "workspaces",
      `Invalid workspaces @: expected true or false, got ${describeValue(workspaces)}.`,
    );
  }
  const scripts = pipeline === undefined ? undefined : toPipeline(pipeline, fail);

  if (!isRecord(tasks))
    fail(
      "tasks",
      `Invalid tasks @: expected an object of tasks by id, got ${describeValue(tasks)}.`,
    );
  const dir = dirname(resolve(file));
  const taskIds = Object.keys(tasks as Record<string, unknown>);
  const serverConfig =
    server === undefined ? undefined : validateServer(server, { fail, source: name, taskIds });
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
    ...(serverConfig === undefined ? {} : { server: serverConfig }),
    tasks: Object.entries(tasks as Record<string, unknown>).map(([id, task]) =>
      toSpec(id, task, { dir, name, fail }),
    ),
    gates: gatesOf(tasks as Record<string, unknown>, dir),
  };
}

/** Each task's gates, with the directory their files are read from. */
function gatesOf(tasks: Record<string, unknown>, dir: string): LoadedConfig["gates"] {
  const result = new Map<string, { readonly cwd: string; readonly gates: readonly GateSpec[] }>();
  for (const [id, task] of Object.entries(tasks)) {
    if (!isRecord(task) || !Array.isArray(task["gates"]) || task["gates"].length === 0) continue;
    const cwd = resolve(dir, typeof task["cwd"] === "string" ? task["cwd"] : ".");
    result.set(id, { cwd, gates: task["gates"] as GateSpec[] });
  }
  return result;
}

interface Context {
  readonly dir: string;
  readonly name: string;
  readonly fail: Fail;
}

function toSpec(id: string, task: unknown, { dir, fail }: Context): TaskSpec<Command> {
  if (typeof task === "string" || Array.isArray(task)) task = { run: task };
  if (!isRecord(task)) {
    return fail(
      taskPath(id),
      `Task "${id}" must be a command or an object with \`run\` @, got ${describeValue(task)}.`,
    );
  }
  const field = (key: string, expected: string, ok: (value: unknown) => boolean): void => {
    const value = task[key];
    if (value !== undefined && !ok(value)) {
      fail(
        taskPath(id, key),
        `Task "${id}" has an invalid ${key} @: expected ${expected}, got ${describeValue(value)}.`,
      );
    }
  };
  for (const key of Object.keys(task)) {
    if (!taskFields.includes(key))
      fail(
        taskPath(id, key),
        `Task "${id}" has an unknown field "${key}" @.${hint(key, taskFields)}`,
      );
  }
  if (task["run"] === undefined)
    fail(
      taskPath(id),
      `Task "${id}" has no \`run\` command @. Add the command to run, e.g. run: "npm test".`,
    );
  field("run", "a command string or an argv array of strings", isCommandLine);
  field("fallback", "a command string or an argv array of strings", isCommandLine);
  field("cwd", "a directory path", (v) => typeof v === "string" && v !== "");
  field(
    "env",
    "an object of strings",
    (v) => isRecord(v) && Object.values(v).every((s) => typeof s === "string"),
  );
  field("persistent", "true or false", (v) => typeof v === "boolean");
  if (task["ready"] !== undefined) {
    checkProbe(task["ready"], { id, fail });
    if (task["persistent"] !== true) {
      fail(
        taskPath(id, "ready"),
        `Task "${id}" has a ready probe but is not persistent @. Add persistent: true, or remove ready.`,
      );
    }
  }

  field("gates", "an array of gates", Array.isArray);
  ((task["gates"] ?? []) as unknown[]).forEach((gate, i) =>
    checkGate(gate, { id, index: i, fail }),
  );
  const { run, fallback, cwd, env } = task;
  const policies = Object.fromEntries(Object.entries(task).filter(([key]) => !configOnly.has(key)));
  const service = task["persistent"] === true;
  const command = (line: unknown): Command => ({
    command: line as string | string[],
    cwd: resolve(dir, typeof cwd === "string" ? cwd : "."),
    ...(env === undefined ? {} : { env: env as Record<string, string> }),
    ...(service ? { persistent: true } : {}),
    ...(service && task["ready"] !== undefined ? { ready: task["ready"] as ReadyProbe } : {}),
  });

  return {
    ...(policies as Omit<TaskSpec<Command>, "id" | "run">),
    id,
    run: command(run),
    ...(fallback === undefined ? {} : { fallback: { run: command(fallback) } }),
  };
}
