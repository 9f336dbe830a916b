import { resolve } from "node:path";
import { describeValue, taskPath } from "../core/index.js";
import type { Command, GateSpec, ReadyProbe, TaskSpec } from "../core/index.js";
import { checkGate, checkProbe, hint, isCommandLine, isRecord } from "./config-checks.js";
import type { Fail } from "./config-checks.js";

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
}

/** A config task (a command, or an object with `run`) as a spec whose action is a command. */
export function toSpec(id: string, task: unknown, { dir, fail }: Context): TaskSpec<Command> {
  if (typeof task === "string" || Array.isArray(task)) task = { run: task };
  if (!isRecord(task)) {
    return fail(
      taskPath(id),
      `Task "${id}" must be a command or an object with \`run\` @, got ${describeValue(task)}.`,
    );
  }
  checkTask(id, task, fail);
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
  field("env", "an object of strings", (v) => isRecord(v) && Object.values(v).every(isString));
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

const isString = (value: unknown): boolean => typeof value === "string";
