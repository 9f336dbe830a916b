import { basename, dirname, resolve } from "node:path";
import {
  describeValue,
  location,
  ParexError,
  strategies,
  suggest,
  taskPath,
} from "../core/index.js";
import type { Command, ReadyProbe, Strategy, TaskSpec } from "../core/index.js";
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
}

const settings = [
  "concurrency",
  "strategy",
  "killGraceMs",
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
  if (!isRecord(data)) {
    return fail(
      "default export",
      `${name} must define an object with \`tasks\` @, got ${describeValue(data)}.`,
    );
  }
  for (const key of Object.keys(data)) {
    if (!settings.includes(key)) fail(key, `Unknown setting "${key}" @.${hint(key, settings)}`);
  }
  const { concurrency, strategy, killGraceMs, tasks = {}, workspaces, pipeline } = data;
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
  if (killGraceMs !== undefined && !(typeof killGraceMs === "number" && killGraceMs >= 0)) {
    fail(
      "killGraceMs",
      `Invalid killGraceMs @: expected a number of ms ≥ 0, got ${describeValue(killGraceMs)}.`,
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
  return {
    file: resolve(file),
    dir,
    ...(concurrency === undefined ? {} : { concurrency: concurrency as number | string }),
    ...(strategy === undefined ? {} : { strategy: strategy as Strategy }),
    ...(killGraceMs === undefined ? {} : { killGraceMs: killGraceMs as number }),
    ...(workspaces === true || scripts !== undefined ? { workspaces: true } : {}),
    ...(scripts === undefined ? {} : { pipeline: scripts }),
    tasks: Object.entries(tasks as Record<string, unknown>).map(([id, task]) =>
      toSpec(id, task, { dir, name, fail }),
    ),
  };
}

interface Context {
  readonly dir: string;
  readonly name: string;
  readonly fail: (path: string, message: string) => never;
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

/** A probe is one of: { port, host? }, { url }, { log }, each with an optional timeoutMs. */
function checkProbe(probe: unknown, { id, fail }: { id: string; fail: Context["fail"] }): void {
  const bad = (what: string): never =>
    fail(taskPath(id, "ready"), `Task "${id}" has an invalid ready probe @: ${what}.`);
  if (!isRecord(probe))
    return bad(`expected { port }, { url } or { log }, got ${describeValue(probe)}`);
  const kinds = ["port", "url", "log"].filter((kind) => probe[kind] !== undefined);
  if (kinds.length !== 1)
    bad("give exactly one of `port` (a TCP port), `url` (an HTTP URL) or `log` (a regex)");
  for (const key of Object.keys(probe)) {
    if (!["port", "host", "url", "log", "timeoutMs"].includes(key)) bad(`unknown field "${key}"`);
  }
  const { port, url, log, timeoutMs, host } = probe;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)
  )
    bad(`\`port\` must be a TCP port number, got ${describeValue(port)}`);
  if (host !== undefined && typeof host !== "string")
    bad(`\`host\` must be a host name, got ${describeValue(host)}`);
  if (url !== undefined && !(typeof url === "string" && /^https?:\/\//.test(url)))
    bad(`\`url\` must be an http:// or https:// URL, got ${describeValue(url)}`);
  if (log !== undefined) {
    try {
      if (typeof log !== "string") throw new Error(`got ${describeValue(log)}`);
      new RegExp(log);
    } catch (error) {
      bad(`\`log\` is not a valid regular expression (${(error as Error).message})`);
    }
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0))
    bad(`\`timeoutMs\` must be a number > 0, got ${describeValue(timeoutMs)}`);
}

const gateFields = ["name", "pattern", "file", "pointer", "min", "max", "level"];

/** A gate reads a number (a regex group of the output, or a JSON pointer into a file) and bounds it. */
function checkGate(
  gate: unknown,
  { id, index, fail }: { id: string; index: number; fail: Context["fail"] },
): void {
  const path = taskPath(id, "gates", index);
  const bad = (what: string): never => fail(path, `Task "${id}" has an invalid gate @: ${what}.`);
  if (!isRecord(gate))
    return bad(`expected an object with name and pattern or file, got ${describeValue(gate)}`);
  for (const key of Object.keys(gate)) {
    if (!gateFields.includes(key)) bad(`unknown field "${key}".${hint(key, gateFields)}`);
  }
  if (typeof gate["name"] !== "string" || gate["name"] === "")
    bad("`name` must be a non-empty string");
  const { pattern, file, pointer, min, max, level } = gate;
  if ((pattern === undefined) === (file === undefined))
    bad("give either `pattern` (a regex on the output) or `file` (a JSON file)");
  if (pattern !== undefined) {
    try {
      if (typeof pattern !== "string") throw new Error(`got ${describeValue(pattern)}`);
      new RegExp(pattern);
    } catch (error) {
      bad(`\`pattern\` is not a valid regular expression (${(error as Error).message})`);
    }
  }
  if (
    file !== undefined &&
    (typeof file !== "string" || typeof pointer !== "string" || !pointer.startsWith("/"))
  ) {
    bad('`file` needs a path and `pointer` a JSON pointer such as "/total/lines/pct"');
  }
  for (const [key, value] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (value !== undefined && typeof value !== "number")
      bad(`\`${key}\` must be a number, got ${describeValue(value)}`);
  }
  if (min === undefined && max === undefined) bad("give `min`, `max` or both");
  if (level !== undefined && level !== "warn" && level !== "fail")
    bad(`\`level\` must be "warn" or "fail", got ${describeValue(level)}`);
}

/** `pipeline`: script names, or an object of script name → { dependsOn }. */
function toPipeline(pipeline: unknown, fail: Context["fail"]): Record<string, PipelineEntry> {
  if (Array.isArray(pipeline) && pipeline.every((s) => typeof s === "string")) {
    return Object.fromEntries(
      pipeline.map((script: string) => [script, { dependsOn: [`^${script}`] }]),
    );
  }
  if (!isRecord(pipeline)) {
    return fail(
      "pipeline",
      `Invalid pipeline @: expected script names, or an object like { "build": { "dependsOn": ["^build"] } }, got ${describeValue(pipeline)}.`,
    );
  }
  return Object.fromEntries(
    Object.entries(pipeline).map(([script, entry]) => {
      const dependsOn = isRecord(entry) ? entry["dependsOn"] : undefined;
      const keys = isRecord(entry) ? Object.keys(entry) : [];
      if (
        !isRecord(entry) ||
        keys.some((k) => k !== "dependsOn") ||
        (dependsOn !== undefined &&
          !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === "string")))
      ) {
        fail(
          `pipeline.${script}`,
          `Invalid pipeline entry "${script}" @: expected { "dependsOn": ["^${script}", ...] }, got ${describeValue(entry)}.`,
        );
      }
      return [script, { dependsOn: (dependsOn) ?? [] }];
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCommandLine(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  return (
    Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === "string")
  );
}

function isConcurrency(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value >= 1;
  return typeof value === "string" && /^\d+(\.\d+)?%$/.test(value) && parseFloat(value) > 0;
}

function hint(word: string, candidates: readonly string[]): string {
  const guess = suggest(word, candidates);
  return guess === undefined ? ` Known: ${candidates.join(", ")}.` : ` Did you mean "${guess}"?`;
}
