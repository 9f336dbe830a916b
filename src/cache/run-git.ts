import { execFile, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/**
 * Runs `git <args>` in `cwd`; resolves with its stdout, or undefined when git is not installed
 * or exits with an error. Injectable so tests can count the calls.
 */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<Buffer | undefined>;

/** Room for the listing of a package of well over 100,000 files (about 150 bytes a file). */
const maxOutputBytes = 1024 * 1024 * 1024;
/** Variables by which an enclosing git process (a hook) would point git at another index. */
const redirecting = new Set(["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]);

/**
 * The environment of parex's git: read-only (`GIT_OPTIONAL_LOCKS=0` keeps it from taking the
 * index lock to refresh stat data, so a `git commit` beside a run never finds the index
 * locked), and never pointed at another repository or index by an enclosing hook.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GIT_OPTIONAL_LOCKS: "0" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!redirecting.has(name) && name !== "GIT_OPTIONAL_LOCKS") env[name] = value;
  }
  return env;
}

/** The real git, read-only. */
export const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve) => {
    execFile(
      "git",
      ["-c", "core.quotepath=off", ...args],
      { cwd, env: gitEnv(), encoding: "buffer", maxBuffer: maxOutputBytes, windowsHide: true },
      (error, stdout) => resolve(error === null ? stdout : undefined),
    );
  });

/**
 * Runs several git commands at once in `cwd` and gives each one's stdout (undefined where it
 * failed), as {@link runGit} would, from a single child process: a shell that starts them all,
 * each writing to a pipe of its own. Node forks its whole process for every spawn (about 10 ms
 * for a runner holding its history), while the shell's forks are cheap.
 */
export function runGitBatch(
  commands: readonly (readonly string[])[],
  cwd: string,
): Promise<(Buffer | undefined)[]> {
  const script = [
    ...commands.map(
      (args, i) =>
        `git -c core.quotepath=off ${args.map(quote).join(" ")} >&${i + 3} || echo ${i} &`,
    ),
    "wait",
  ].join("\n");
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", script], {
      cwd,
      env: gitEnv(),
      stdio: ["ignore", "pipe", "ignore", ...commands.map(() => "pipe" as const)],
      windowsHide: true,
    });
    let total = 0;
    let tooLarge = false;
    const collect = (stream: Readable | null): Buffer[] => {
      const chunks: Buffer[] = [];
      stream?.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxOutputBytes) {
          tooLarge = true;
          child.kill("SIGKILL");
        } else chunks.push(chunk);
      });
      return chunks;
    };
    const failed = collect(child.stdio[1]);
    const outputs = commands.map((_, i) => collect(child.stdio[i + 3] as Readable | null));
    child.on("error", () => resolve(commands.map(() => undefined)));
    child.on("close", (code) => {
      if (code !== 0 || tooLarge) {
        resolve(commands.map(() => undefined));
        return;
      }
      const failures = new Set(Buffer.concat(failed).toString("utf8").split("\n"));
      resolve(
        outputs.map((chunks, i) => (failures.has(String(i)) ? undefined : Buffer.concat(chunks))),
      );
    });
  });
}

/** `arg` as one word of a POSIX shell, whatever it holds. */
const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;
