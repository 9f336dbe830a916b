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
}
