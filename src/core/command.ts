/**
 * A command line to run as a child process: the action of tasks from config files. A string
 * runs through `sh -c`; an argv array runs without a shell. Plain data, so it travels in
 * config files, SQLite rows and queue jobs alike.
 */
export interface Command {
  readonly command: string | readonly string[];
  /** Working directory. Default: the runner's. */
  readonly cwd?: string;
  /** Variables added to the runner's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Names in `env` whose values say where the command runs (a directory, this machine's PATH),
   * not what it does: left out of its cache key, so a key holds from any directory and clone.
   */
  readonly unkeyedEnv?: readonly string[];
  /** A long-running service: it reports ready (see `ready`) and runs until it is stopped. */
  readonly persistent?: boolean;
  /** When a persistent command counts as ready. Default: as soon as it has started. */
  readonly ready?: ReadyProbe;
  /** How the task cache keys and restores this command (docs/cache.md). Default: not cached. */
  readonly cache?: CacheSpec;
}

/**
 * What the task cache needs to know of a command: a hit restores `outputs` and replays the
 * output, when the command, its `cwd` and `env`, the `inputs` and `rootInputs`, the values of
 * the `hashedEnv` variables and the keys of the tasks it depends on are what they were.
 */
export interface CacheSpec {
  /** Globs of the files it writes, relative to its cwd (`!` excludes). */
  readonly outputs: readonly string[];
  /**
   * Globs of the files it reads, relative to its cwd (`!` excludes). Default: every file under
   * its cwd that git tracks or does not ignore, except the outputs.
   */
  readonly inputs?: readonly string[];
  /**
   * Globs of files it reads outside its cwd, relative to the project directory (the workspace
   * root), `!` excluding: `tsconfig.base.json`, a root `.eslintrc`. Default: none.
   */
  readonly rootInputs?: readonly string[];
  /** Variables of the runner's environment whose values are part of its key. */
  readonly hashedEnv: readonly string[];
}

/** When a persistent command counts as ready; `timeoutMs` (default 30,000) bounds the wait. */
export type ReadyProbe =
  /** A TCP connection to the port succeeds. */
  | { readonly port: number; readonly host?: string; readonly timeoutMs?: number }
  /** An HTTP GET of the URL answers 2xx. */
  | { readonly url: string; readonly timeoutMs?: number }
  /** A line of the command's output matches the regular expression. */
  | { readonly log: string; readonly timeoutMs?: number };
