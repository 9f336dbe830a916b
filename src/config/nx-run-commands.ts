import { isRecord } from "./config-checks.js";
import type { EntryCommand } from "./workspaces.js";

/** The project a target belongs to, for Nx's tokens in its options. */
export interface NxProjectRef {
  /** Its name (`{projectName}`). */
  readonly name: string;
  /** Its directory from the workspace root, `/`-separated (`{projectRoot}`). */
  readonly dir: string;
}

/** Options of `nx:run-commands` parex does not follow: a target using one is not run. */
const unfollowed = ["readyWhen", "envFile", "args"];

/**
 * What an `nx:run-commands` target (merged, with `command` expanded) runs, as Nx runs it:
 * `options.command`, or `options.commands` (strings or `{ command }`) all at once unless
 * `parallel` is false, then one after the other, stopping at the first that fails; in
 * `options.cwd` from the workspace root (the root when it says nothing); with `options.env`.
 * `{projectRoot}`, `{projectName}` and `{workspaceRoot}` in them are replaced. Undefined for a
 * target of another executor; a sentence saying why when parex cannot run it as Nx would.
 */
export function runCommandsOf(
  target: Readonly<Record<string, unknown>>,
  project: NxProjectRef,
): EntryCommand | string | undefined {
  if (target["executor"] !== "nx:run-commands") return undefined;
  const options = isRecord(target["options"]) ? target["options"] : {};
  const other = unfollowed.find((key) => options[key] !== undefined);
  if (other !== undefined) return `its option "${other}" is one parex does not follow`;
  const commands = commandList(options);
  if (typeof commands === "string") return commands;
  const fill = (text: string): string =>
    text
      .replaceAll("{projectRoot}", project.dir)
      .replaceAll("{projectName}", project.name)
      .replaceAll("{workspaceRoot}", ".");
  const filled = commands.map(fill);
  const argument = filled.find((command) => /\{args\.[^}]*\}/.test(command));
  if (argument !== undefined) return `its command "${argument}" takes arguments ({args.…})`;
  const cwd = options["cwd"] ?? ".";
  if (typeof cwd !== "string") return `its option "cwd" is not a string`;
  const env = options["env"] ?? {};
  if (!isRecord(env) || !Object.values(env).every((value) => typeof value === "string"))
    return `its option "env" is not an object of strings`;
  return {
    shell: joined(filled, options["parallel"] !== false),
    cwd: fill(cwd) || ".",
    ...(Object.keys(env).length === 0 ? {} : { env: env as Record<string, string> }),
  };
}

/** The commands of the options, or why there are none. */
function commandList(options: Readonly<Record<string, unknown>>): string[] | string {
  if (typeof options["command"] === "string") return [options["command"]];
  const list = options["commands"];
  if (!Array.isArray(list) || list.length === 0) return "it names no command";
  const commands = list.map((item: unknown) =>
    typeof item === "string"
      ? item
      : isRecord(item) && typeof item["command"] === "string"
        ? item["command"]
        : undefined,
  );
  if (commands.some((command) => command === undefined))
    return 'one of its "commands" is neither a string nor { "command": ... }';
  return commands as string[];
}

/**
 * One shell command for several: in sequence, `a && b`; at once, each in the background and
 * the exit status 1 when any failed (Nx waits for them all), each command's own status when
 * there is one.
 */
function joined(commands: readonly string[], parallel: boolean): string {
  if (commands.length === 1) return commands[0] ?? "";
  if (!parallel) return commands.map((command) => `(${grouped(command)})`).join(" && ");
  const started = commands.map((command, i) => `(${grouped(command)}) & p${i}=$!`);
  const waits = commands.map((_, i) => `wait $p${i} || s=1`);
  return [...started, "s=0", ...waits, "exit $s"].join("\n");
}

/**
 * A command as the body of `( … )`: one that may end in a comment (`eslint . # lint`) or spans
 * lines gets its closing parenthesis on a line of its own, or the comment would swallow it.
 */
function grouped(command: string): string {
  return /[#\n]/.test(command) ? `${command}\n` : command;
}
