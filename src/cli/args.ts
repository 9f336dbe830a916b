import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { suggest } from "../core/index.js";
import type { OptionDocs } from "./usage.js";

/** A command-line mistake: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** `-c, --config FILE`: every command that reads a config takes it. */
export const configOption: OptionDocs = {
  config: {
    type: "string",
    short: "c",
    value: "FILE",
    help: ["config file (default: parex.config.* found walking up)"],
  },
};

/** The options of the commands that build the task graph: a config, or workspaces. */
export const projectOptions: OptionDocs = {
  ...configOption,
  workspaces: {
    type: "boolean",
    help: ["run scripts in every npm / pnpm / yarn workspace package (pkg#script)"],
  },
  filter: {
    type: "string",
    multiple: true,
    value: "PATTERN",
    help: ["only packages whose name matches, and what they need (repeatable; globs)"],
  },
};

/** A string option's value, or undefined when it was not given. */
export const string = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** The project options as `loadProject` takes them. */
export function projectArgs(
  values: Record<string, unknown>,
  positionals: readonly string[],
  cwd: string,
): {
  configFile: string | undefined;
  cwd: string;
  tasks: readonly string[];
  workspaces: boolean;
  filter: readonly string[];
} {
  return {
    configFile: values["config"] as string | undefined,
    cwd,
    tasks: positionals,
    workspaces: values["workspaces"] === true,
    filter: (values["filter"] as string[] | undefined) ?? [],
  };
}

/** Parses one command's arguments; unknown options are errors with a suggestion. */
export function parseCommand(
  command: string,
  argv: readonly string[],
  options: OptionDocs,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: withOptionalValues(argv, options),
      options: { ...parseSpec(options), help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values, positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const names = Object.keys(options).map((name) => `--${name}`);
      const guess = suggest(unknown, [...names, "--help"]);
      const hint =
        guess === undefined
          ? ` Run \`parex ${command} --help\` for the options.`
          : ` Did you mean ${guess}?`;
      throw new UsageError(`parex ${command}: unknown option ${unknown}.${hint}`);
    }
    throw new UsageError(
      `parex ${command}: ${message.split(".")[0] ?? message}. Run \`parex ${command} --help\`.`,
    );
  }
}

/**
 * `argv` with each option whose value may be left out (OptionDoc's `optional`) written as
 * `--name=value`: its value when the next argument is one, else the value it means alone.
 * Nothing after `--` is an option.
 */
function withOptionalValues(argv: readonly string[], options: OptionDocs): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return [...args, ...argv.slice(i)];
    const optional = arg.startsWith("--") ? options[arg.slice(2)]?.optional : undefined;
    if (optional === undefined) {
      args.push(arg);
      continue;
    }
    const next = argv[i + 1];
    const given = next !== undefined && optional.takes.test(next);
    args.push(`${arg}=${given ? next : optional.alone}`);
    if (given) i++;
  }
  return args;
}

/** What parseArgs needs of each option. */
function parseSpec(
  options: OptionDocs,
): Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> {
  return Object.fromEntries(
    Object.entries(options).map(([name, { type, short, multiple }]) => [
      name,
      { type, ...(short === undefined ? {} : { short }), ...(multiple ? { multiple } : {}) },
    ]),
  );
}

/** A run's slots: the first of `choices` given (`-j`, then the config's), else one per CPU. */
export function slotsFrom(...choices: readonly (string | number | undefined)[]): number {
  const cpus = availableParallelism();
  return parseConcurrency(choices.find((choice) => choice !== undefined) ?? cpus, cpus);
}

/** `-j N` or `-j N%` (of the CPUs) as a number of slots. */
export function parseConcurrency(value: string | number, cpus: number): number {
  const text = String(value).trim();
  const share = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (share) return Math.max(1, Math.floor((cpus * Number(share[1])) / 100));
  if (/^\d+$/.test(text) && Number(text) >= 1) return Number(text);
  throw new UsageError(
    `Invalid concurrency "${text}": expected an integer ≥ 1, or a share of the ${cpus} CPUs like 50%.`,
  );
}

/**
 * An option's value that must be one of `choices`, or a usage error that names them:
 * `parex run: --strategy must be all, partial or best_effort, got "parital". Did you mean "partial"?`
 */
export function choiceOf<T extends string>(
  command: string,
  flag: string,
  value: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const listed = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1) ?? ""}`;
  const guess = suggest(value, choices);
  const hint = guess === undefined ? "" : ` Did you mean "${guess}"?`;
  throw new UsageError(`parex ${command}: ${flag} must be ${listed}, got "${value}".${hint}`);
}
