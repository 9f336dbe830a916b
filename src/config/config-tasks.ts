import { resolve } from "node:path";
import { describeValue, taskPath } from "../core/index.js";
import type { CacheSpec, Command, GateSpec, ReadyProbe, TaskSpec } from "../core/index.js";
import {
  checkGate,
  checkProbe,
  hint,
  isCommandLine,
  isRecord,
  isVariable,
} from "./config-checks.js";
import type { Fail } from "./config-checks.js";
import { isInputGlobs, isOwnGlobs, splitInputs } from "./root-globs.js";

/** Fields the config layer turns into the command; the rest are core policies. */
const configOnly = new Set([
  "run",
  "fallback",
  "cwd",
  "env",
  "ready",
  "gates",
  "outputs",
  "inputs",
  "cache",
]);
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
  "outputs",
  "inputs",
  "cache",
];

/** Each task's gates, with the directory their files are read from. */
export function gatesOf(
  tasks: Record<string, unknown>,
  dir: string,
): ReadonlyMap<string, { readonly cwd: string; readonly gates: readonly GateSpec[] }> {
  const result = new Map<string, { readonly cwd: string; readonly gates: readonly GateSpec[] }>();
  for (const [id, task] of Object.entries(tasks)) {
    if (!isRecord(task) || !Array.isArray(task["gates"]) || task["gates"].length === 0) continue;
    const cwd = resolve(dir, typeof task["cwd"] === "string" ? task["cwd"] : ".");
    result.set(id, { cwd, gates: task["gates"] as GateSpec[] });
  }
  return result;
}

/** Where a task's relative paths start, and how to report what is wrong with it. */
interface Context {
  readonly dir: string;
  readonly fail: Fail;
  /** The config's `globalInputs`: root files in every cached task's key. */
  readonly globalInputs: readonly string[];
}

/** A config task (a command, or an object with `run`) as a spec whose action is a command. */
export function toSpec(
  id: string,
  task: unknown,
  { dir, fail, globalInputs }: Context,
): TaskSpec<Command> {
  if (typeof task === "string" || Array.isArray(task)) task = { run: task };
  if (!isRecord(task)) {
    return fail(
      taskPath(id),
      `Task "${id}" must be a command or an object with \`run\` @, got ${describeValue(task)}.`,
    );
  }
  checkTask(id, task, fail);
  const { run, fallback, cwd } = task;
  const policies = Object.fromEntries(Object.entries(task).filter(([key]) => !configOnly.has(key)));
  const service = task["persistent"] === true;
  const { values: env, external } = splitEnv(task["env"]);
  const cache = cacheSpec(task, { hashedEnv: external, globalInputs });
  const command = (line: unknown): Command => ({
    command: line as string | string[],
    cwd: resolve(dir, typeof cwd === "string" ? cwd : "."),
    ...(env === undefined ? {} : { env }),
    ...(service ? { persistent: true } : {}),
    ...(service && task["ready"] !== undefined ? { ready: task["ready"] as ReadyProbe } : {}),
  });
  return {
    ...(policies as Omit<TaskSpec<Command>, "id" | "run">),
    id,
    run: { ...command(run), ...(cache === undefined ? {} : { cache }) },
    ...(fallback === undefined ? {} : { fallback: { run: command(fallback) } }),
  };
}

/**
 * `env` as the variables it sets, and the names it takes from the runner's environment: an
 * array of names (as turbo.json writes it), or `{ NAME: { external: true } }` beside values (as
 * wireit does).
 */
function splitEnv(env: unknown): {
  readonly values?: Record<string, string>;
  readonly external: string[];
} {
  if (Array.isArray(env)) return { external: env as string[] };
  if (!isRecord(env)) return { external: [] };
  const values: Record<string, string> = {};
  const external: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string") values[name] = value;
    else external.push(name);
  }
  return { ...(Object.keys(values).length > 0 ? { values } : {}), external };
}

/**
 * How the cache treats the task: on with `outputs` or `inputs` (or `cache: true`), off with
 * `cache: false` and for services; off by default, as a config task may deploy or publish.
 * Its root files are the config's `globalInputs` and its own `$root/` inputs.
 */
function cacheSpec(
  task: Record<string, unknown>,
  { hashedEnv, globalInputs }: { hashedEnv: string[]; globalInputs: readonly string[] },
): CacheSpec | undefined {
  const outputs = task["outputs"] as string[] | undefined;
  const given = task["inputs"] as string[] | undefined;
  const wanted = task["cache"] ?? (outputs !== undefined || given !== undefined);
  if (wanted !== true || task["persistent"] === true) return undefined;
  const { inputs, rootInputs } = splitInputs(given);
  const root = [...new Set([...globalInputs, ...rootInputs])];
  return {
    outputs: outputs ?? [],
    ...(inputs === undefined ? {} : { inputs }),
    ...(root.length === 0 ? {} : { rootInputs: root }),
    hashedEnv,
  };
}

/** The fields the config layer reads itself; core's policies are checked by `buildGraph`. */
function checkTask(id: string, task: Record<string, unknown>, fail: Fail): void {
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
  checkEnvList(id, task["env"], fail);
  field("env", 'an object of values and { "external": true }, or a list of names', isEnv);
  field("outputs", "an array of globs inside the task's cwd (no .., / nor $root/)", isOwnGlobs);
  field(
    "inputs",
    "an array of globs inside the task's cwd (no .. nor /), or $root/ and a glob of the config file's directory",
    isInputGlobs,
  );
  field("cache", "true or false", (v) => typeof v === "boolean");
  if (task["persistent"] === true && task["cache"] === true) {
    fail(
      taskPath(id, "cache"),
      `Task "${id}" is persistent and cannot be cached @: a service has no end to replay. Remove cache: true.`,
    );
  }
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
}

/** `env: ["A=1"]` meant to set A: say how, rather than only what the field takes. */
function checkEnvList(id: string, env: unknown, fail: Fail): void {
  if (!Array.isArray(env)) return;
  const assignment: unknown = (env as unknown[]).find(
    (name) => typeof name === "string" && name.includes("="),
  );
  if (typeof assignment !== "string") return;
  const [name = "", ...value] = assignment.split("=");
  fail(
    taskPath(id, "env"),
    `Task "${id}" has an invalid env @: a list names variables taken from the runner's environment; to set ${name}, write env: { ${JSON.stringify(name)}: ${JSON.stringify(value.join("="))} }.`,
  );
}

const isString = (value: unknown): boolean => typeof value === "string";
const isExternal = (value: unknown): boolean =>
  isRecord(value) && value["external"] === true && Object.keys(value).length === 1;
const isEnv = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.every(isVariable)
    : isRecord(value) && Object.values(value).every((v) => isString(v) || isExternal(v));
