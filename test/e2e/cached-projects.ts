// What the task cache's end-to-end tests share: a git project written from files, a log where
// its commands note that they ran (outside the project, so a hit is seen not to run them), and
// `parex run --json` with each task's cache status. Real processes, real git.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tempGitRepo } from "../../src/testing/index.js";

export const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

/** A file outside any project where commands note their task when they run. */
export interface RanLog {
  readonly path: string;
  /** A shell command appending `id` to the log. */
  readonly note: (id: string) => string;
  /** The ids noted since the last call, sorted; the log is emptied. */
  readonly take: () => string[];
}

export function ranLog(): RanLog {
  const path = join(mkdtempSync(join(tmpdir(), "parex-ran-")), "ran");
  writeFileSync(path, "");
  return {
    path,
    note: (id) => `echo ${id} >> "${path}"`,
    take: () => {
      const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
      writeFileSync(path, "");
      return lines.sort();
    },
  };
}

/** A git repository holding `files` (objects are written as JSON), committed. Its root. */
export function gitProject(files: Record<string, unknown>): string {
  const repo = tempGitRepo();
  for (const [path, value] of Object.entries(files))
    repo.write(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  repo.commitAll();
  return repo.root;
}

/** A task of the JSON summary, as these tests read it. */
export interface SummaryTask {
  readonly id: string;
  readonly status: string;
  readonly cache?: string;
  readonly cacheKey?: string;
  readonly cacheSource?: string;
  readonly durationMs?: number;
}

/** What a `parex run --json` printed and said. */
export interface Ran {
  readonly code: number | null;
  readonly stderr: string;
  readonly summary: {
    readonly runId: string;
    readonly status: string;
    readonly tasks: readonly SummaryTask[];
    readonly cache?: { hits: number; misses: number; savedMs: number };
  };
  /** Each task's `cache` by id. */
  readonly cacheOf: Record<string, string | undefined>;
  /** Each task's `cacheKey` by id. */
  readonly keyOf: Record<string, string | undefined>;
}

const runArgs = (args: readonly string[]) => [bin, "run", "--json", "--output", "none", ...args];

function ran(code: number | null, stdout: string, stderr: string): Ran {
  const summary = (
    stdout === "" ? { runId: "", status: "", tasks: [] } : JSON.parse(stdout)
  ) as Ran["summary"];
  const by = (field: "cache" | "cacheKey") =>
    Object.fromEntries(summary.tasks.map((task) => [task.id, task[field]]));
  return { code, stderr, summary, cacheOf: by("cache"), keyOf: by("cacheKey") };
}

/** `parex run --json --output none ARGS` in `dir`, CI=true, with `env` added. */
export function runJson(
  dir: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Ran {
  const result = spawnSync(process.execPath, runArgs(args), {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ...env },
  });
  return ran(result.status, result.stdout, result.stderr);
}

/**
 * The same as a child process that does not block this one (a test's own server must go on
 * answering meanwhile).
 */
export async function runJsonAsync(
  dir: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  const child = spawn(process.execPath, runArgs(args), {
    cwd: dir,
    env: { ...process.env, CI: "true", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  return ran(code, stdout, stderr);
}
