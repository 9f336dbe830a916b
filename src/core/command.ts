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
  /** A long-running service: it reports ready (see `ready`) and runs until it is stopped. */
  readonly persistent?: boolean;
  /** When a persistent command counts as ready. Default: as soon as it has started. */
  readonly ready?: ReadyProbe;
}

/** When a persistent command counts as ready; `timeoutMs` (default 30,000) bounds the wait. */
export type ReadyProbe =
  /** A TCP connection to the port succeeds. */
  | { readonly port: number; readonly host?: string; readonly timeoutMs?: number }
  /** An HTTP GET of the URL answers 2xx. */
  | { readonly url: string; readonly timeoutMs?: number }
  /** A line of the command's output matches the regular expression. */
  | { readonly log: string; readonly timeoutMs?: number };
