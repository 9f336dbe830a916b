import { createHash } from "node:crypto";
import { relative } from "node:path";
import type { Command } from "../core/index.js";

/**
 * What a queue job carries: ids, never a command. A worker looks the task up in its own
 * config and runs it only when its own definition has the same `identity`.
 */
export interface TaskJob {
  /** The job format's version: a worker refuses another. */
  readonly v: 1;
  readonly runId: string;
  readonly taskId: string;
  /** 1-based, as the coordinator's scheduler counts attempts. */
  readonly attempt: number;
  /** {@link taskIdentity} of the task as the coordinator defines it. */
  readonly identity: string;
  /** Whether the coordinator's tasks came from workspace packages (`--workspaces`). */
  readonly workspaces: boolean;
  /** Who enqueued it: `host/pid`, for messages. */
  readonly coordinator: string;
}

/** The job's data as a {@link TaskJob}, or a sentence saying why it is not one. */
export function parseTaskJob(data: unknown): TaskJob | string {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return `its data is ${describe(data)}, not an object`;
  const job = data as Record<string, unknown>;
  if (job["v"] !== 1) return `its format version is ${describe(job["v"])}, this worker reads 1`;
  for (const key of ["runId", "taskId", "identity", "coordinator"]) {
    if (typeof job[key] !== "string" || job[key] === "")
      return `its "${key}" is ${describe(job[key])}, not a string`;
  }
  if (!Number.isInteger(job["attempt"]) || (job["attempt"] as number) < 1)
    return `its "attempt" is ${describe(job["attempt"])}, not an integer ≥ 1`;
  if (typeof job["workspaces"] !== "boolean")
    return `its "workspaces" is ${describe(job["workspaces"])}, not true or false`;
  return job as unknown as TaskJob;
}

function describe(value: unknown): string {
  const text = (JSON.stringify(value) as string | undefined) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A digest of what a task does, the same on every machine with the same checkout: its
 * command, its directory relative to the project's, the variables it sets (without those that
 * only say where it runs, such as PATH), whether it is a service and how it is ready. A
 * worker whose digest differs from the job's has another config, and refuses the job.
 */
export function taskIdentity(command: Command, projectDir: string): string {
  const unkeyed = new Set(command.unkeyedEnv ?? []);
  const env = Object.entries(command.env ?? {})
    .filter(([name]) => !unkeyed.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const described = {
    command: command.command,
    cwd: relative(projectDir, command.cwd ?? projectDir) || ".",
    env,
    persistent: command.persistent === true,
    ready: command.ready ?? null,
  };
  return createHash("sha256").update(JSON.stringify(described)).digest("hex");
}
